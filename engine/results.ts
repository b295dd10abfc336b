import type { Run, SerializedError } from "./types";

/** Memo shapes the SDK expects for an invoke result, and SerializedError from any app reply. */
export function childMemo(child: Pick<Run, "status" | "output" | "error">): unknown {
  if (child.status === "Completed") return { data: child.output ?? null };
  if (child.status === "Cancelled")
    return { error: child.error ?? { name: "Error", message: "invoked run was cancelled" } };
  return { error: child.error ?? { name: "Error", message: "invoked run failed" } };
}

export function toError(v: unknown, fallback: string): SerializedError {
  if (v && typeof v === "object") {
    const o = v as Record<string, unknown>;
    const message =
      typeof o.message === "string" ? o.message : typeof o.error === "string" ? o.error : fallback;
    const name = typeof o.name === "string" ? o.name : "Error";
    const out: SerializedError = { ...o, name, message };
    return out;
  }
  if (typeof v === "string" && v) return { name: "Error", message: v.slice(0, 2000) };
  return { name: "Error", message: fallback };
}
