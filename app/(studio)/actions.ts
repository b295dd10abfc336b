"use server";

import { redirect } from "next/navigation";
import { hasStudioAccess } from "@/lib/access-request";
import { readBudgetField, type FieldIssue } from "@/lib/batches/input";
import { browserKey } from "@/lib/batches/owner-cookie";
import { submitBatch, submitSplit } from "@/lib/batches/service";

/**
 * `posted`: on a refusal, what was sent (the form's fields), so a page without JavaScript comes back
 * with the person's choices rather than the defaults (the form checks it like a stored draft).
 */
export type SubmitState = { error: string | null; issues: FieldIssue[]; posted?: Record<string, unknown> };

function text(form: FormData, name: string): string | undefined {
  const v = form.get(name);
  return typeof v === "string" && v.trim() !== "" ? v : undefined;
}

/** The studio form's submit: same schema and same service as POST /api/batches; works without JavaScript. */
export async function submitBatchAction(_prev: SubmitState, form: FormData): Promise<SubmitState> {
  // The proxy already sent signed-out visitors to /signin; an action must not rely on that alone.
  if (!(await hasStudioAccess())) {
    return { error: "Your session has ended: sign in again at /signin to create batches.", issues: [] };
  }
  const budget = text(form, "budgetUsd");
  const raw = {
    // One input per title (list editor), or one textarea with a title per line (text mode, no JavaScript).
    prompts: form
      .getAll("prompts")
      .filter((p): p is string => typeof p === "string")
      .flatMap((p) => p.split(/\r?\n/)),
    models: form.getAll("models").filter((m): m is string => typeof m === "string"),
    style: text(form, "style"),
    template: text(form, "template"),
    font: text(form, "font"),
    canvas: text(form, "canvas"),
    quality: text(form, "quality"),
    context: text(form, "context"),
    extraPrompt: text(form, "extraPrompt"),
    // "$5" as people write money; the API itself takes a number only.
    budgetUsd: readBudgetField(budget),
  };
  const posted = { ...raw, quality: raw.quality ?? "", budget: budget ?? "" };
  // Over the images-per-batch limit, the person may ask for several batches of whole titles instead.
  // The batches are made for this browser's key: no cookie per batch.
  const creatorKey = await browserKey();
  if (form.get("split") === "1") {
    const split = await submitSplit(raw, { creatorKey });
    if (!split.ok) return { error: split.error, issues: split.issues, posted };
    const [first] = split.batches;
    redirect(
      split.batches.length === 1 && first ? `/b/${first.id}` : `/batches?split=${split.batches.length}`,
    );
  }
  const result = await submitBatch(raw, { creatorKey });
  if (!result.ok) return { error: result.error, issues: result.issues, posted };
  redirect(`/b/${result.id}`);
}
