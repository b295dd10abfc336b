"use server";

import { redirect } from "next/navigation";
import { hasStudioAccess } from "@/lib/access-request";
import type { FieldIssue } from "@/lib/batches/input";
import { browserKey, ownsBatch } from "@/lib/batches/owner-cookie";
import { restyleBatch } from "@/lib/batches/restyle";

/** The restyle form's fields as posted: a refused post without JavaScript renders the form again from them. */
export type RestyleValues = { template?: string; font?: string; canvas?: string; prompts?: string };

export type RestyleState = { error: string | null; issues: FieldIssue[]; values?: RestyleValues };

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
  const titles = form.get("prompts");
  // Every refusal hands these back: without JavaScript the page is rendered again and would lose the edits.
  const values: RestyleValues = {
    template: text(form, "template"),
    font: text(form, "font"),
    canvas: text(form, "canvas"),
    // A browser posts a textarea's lines with CRLF; as LF, a first blank line survives being rendered again
    // (React keeps a leading "\n" in a textarea, and HTML drops the first line break after the tag).
    prompts: typeof titles === "string" ? titles.replace(/\r\n?/g, "\n") : undefined,
  };
  if (!(await ownsBatch(sourceId))) {
    return { error: "Only the person who created this batch can restyle it.", issues: [], values };
  }
  // The share page is public; restyling creates a batch, so it needs the studio password too.
  if (!(await hasStudioAccess())) {
    return {
      error: "Sign in with the studio password (at /signin) to restyle this batch.",
      issues: [],
      values,
    };
  }
  const result = await restyleBatch(
    sourceId,
    {
      template: values.template,
      font: values.font,
      canvas: values.canvas,
      // One title per line; a trailing newline is not an extra, empty title.
      prompts: values.prompts?.replace(/\s+$/, "").split("\n"),
    },
    { creatorKey: await browserKey() },
  );
  if (!result.ok) return { error: result.error, issues: result.issues, values };
  redirect(`/b/${result.id}`);
}
