"use server";

import { redirect } from "next/navigation";
import { hasStudioAccess } from "@/lib/access-request";
import type { FieldIssue } from "@/lib/batches/input";
import { browserKey, ownsBatch } from "@/lib/batches/owner-cookie";
import { restyleBatch } from "@/lib/batches/restyle";

export type RestyleState = { error: string | null; issues: FieldIssue[] };

function text(form: FormData, name: string): string | undefined {
  const v = form.get(name);
  return typeof v === "string" && v.trim() !== "" ? v : undefined;
}

/**
 * The batch page's restyle form: same service as POST /api/batches/:id/restyle; works without JavaScript.
 * The source batch comes in a form field, not as a bound argument: with Next 16.4 a bound action's
 * no-JavaScript post never answers when it returns state (the page re-render hangs).
 */
export async function restyleAction(_prev: RestyleState, form: FormData): Promise<RestyleState> {
  const sourceId = String(form.get("source") ?? "");
  if (!(await ownsBatch(sourceId))) {
    return { error: "Only the person who created this batch can restyle it.", issues: [] };
  }
  // The share page is public; restyling creates a batch, so it needs the studio password too.
  if (!(await hasStudioAccess())) {
    return { error: "Sign in with the studio password (at /signin) to restyle this batch.", issues: [] };
  }
  const titles = form.get("prompts");
  const result = await restyleBatch(
    sourceId,
    {
      template: text(form, "template"),
      font: text(form, "font"),
      canvas: text(form, "canvas"),
      // One title per line; a trailing newline is not an extra, empty title.
      prompts: typeof titles === "string" ? titles.replace(/\s+$/, "").split(/\r?\n/) : undefined,
    },
    { creatorKey: await browserKey() },
  );
  if (!result.ok) return { error: result.error, issues: result.issues };
  redirect(`/b/${result.id}`);
}
