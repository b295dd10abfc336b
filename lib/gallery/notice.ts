/** The line the gallery shows after a delete, from the JSON outcome or the `?deleted=&skipped=` redirect. */
import { plural } from "@/lib/format";

export function deleteNotice(deleted: number, skipped: number): string {
  const done = deleted > 0 ? `Deleted ${plural(deleted, "image")}.` : "Nothing was deleted.";
  if (skipped === 0) return done;
  const verb = skipped === 1 ? "was" : "were";
  const gone = skipped === 1 ? "it is" : "they are";
  return `${done} ${plural(skipped, "image")} ${verb} not deleted: a new take is under way, or ${gone} already gone.`;
}

function count(value: string | string[] | undefined): number | null {
  const one = Array.isArray(value) ? value[0] : value;
  return one && /^\d{1,4}$/.test(one) ? Number(one) : null;
}

/** The notice a no-JavaScript delete redirected back with, if any. */
export function readDeleteNotice(sp: Record<string, string | string[] | undefined>): string | null {
  const deleted = count(sp.deleted);
  const skipped = count(sp.skipped);
  if (deleted === null && skipped === null) return null;
  return deleteNotice(deleted ?? 0, skipped ?? 0);
}
