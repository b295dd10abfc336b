/**
 * What the batch page says once its retry or resume went through: the cells run again at once (a run
 * was started for them), or were queued after the run at work (a batch running again, for a retry or
 * new take, makes them as its next wave), as the control's answer says with `nextWave`; and once a
 * batch no run had started was sent to the engine again.
 */
import { plural } from "@/lib/format";
import type { BatchDto } from "./dto";

/** A control's JSON answer (lib/batches/manage): the batch or why not; retry and resume say what they queued. */
export interface ControlAnswer {
  error?: string;
  batch?: BatchDto;
  retried?: number;
  resumed?: number;
  /** True: the cells were queued for the batch's run at work, which makes them after the cells under way. */
  nextWave?: boolean;
}

/** What a resend that went through did (its answer carries no count to tell it by). */
export const RESENT_NOTE = "Sent to the engine again.";

/** The note for a retry, resume or resend that went through; null for the other controls. */
export function requeuedNote(action: string, answer: ControlAnswer): string | null {
  if (action === "resend") return RESENT_NOTE;
  const n = action === "retry" ? answer.retried : action === "resume" ? answer.resumed : undefined;
  if (n === undefined) return null;
  const cells = plural(n, action === "retry" ? "failed cell" : "cancelled cell");
  const made = n === 1 ? "it is made" : "they are made";
  if (answer.nextWave)
    return `Queued ${cells} after the current run: ${made} once the cells under way have ended.`;
  return `${action === "retry" ? "Retrying" : "Resumed"} ${cells}.`;
}

/**
 * The same note from the answer alone (a retry's names `retried`, a resume's `resumed`): for the
 * redirect after a form post, which the page shows as the page with JavaScript does.
 */
export function requeuedNoteOf(answer: ControlAnswer): string | null {
  if (answer.retried !== undefined) return requeuedNote("retry", answer);
  if (answer.resumed !== undefined) return requeuedNote("resume", answer);
  return null;
}
