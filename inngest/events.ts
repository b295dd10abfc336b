import { eventType } from "inngest";
import { z } from "zod";

/** Starts the fan-out for a stored batch. The event id is derived from the batch id (idempotent sends). */
export const batchRequested = eventType("batch/requested", {
  schema: z.object({ batchId: z.string(), reason: z.enum(["created", "retry", "resume", "resend"]) }),
});

/** Stops every unfinished run of a batch (cancelOn on the batch, prompt and cell functions). */
export const batchCancelled = eventType("batch/cancelled", {
  schema: z.object({ batchId: z.string(), reason: z.string() }),
});
