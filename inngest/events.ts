import { eventType } from "inngest";
import { z } from "zod";

/** Starts the fan-out for a stored batch. The event id is derived from the batch id (idempotent sends). */
export const batchRequested = eventType("batch/requested", {
  schema: z.object({
    batchId: z.string(),
    reason: z.enum(["created", "retry", "resume", "resend", "take", "hand-off"]),
    /** With "hand-off": the run handing the batch on (near its step limit); this event's run takes over. */
    from: z.string().optional(),
  }),
});

/** Stops every unfinished run of a batch (cancelOn on the batch, prompt and cell functions). */
export const batchCancelled = eventType("batch/cancelled", {
  schema: z.object({ batchId: z.string(), reason: z.string() }),
});

/**
 * The id of a batch/cancelled event: one per round of the batch (retry and resume start new rounds). An
 * id the engine has seen is dropped as a duplicate, so a cancel after a resume needs a new one. Rounds of
 * new takes raise only their own cells' round, so two of them can share a number: a cancel ending take
 * cells gets the time as well.
 */
export function cancelEventId(
  batchId: string,
  cells: readonly { round: number; take?: number }[],
  now = Date.now(),
): string {
  const round = Math.max(0, ...cells.map((c) => c.round));
  const takes = cells.some((c) => (c.take ?? 0) > 0) ? `-${now.toString(36)}` : "";
  return `batch-cancelled-${batchId}-${round}${takes}`;
}
