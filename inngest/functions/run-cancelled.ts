/**
 * A batch run cancelled outside the app (the Inngest dashboard, its REST API, a bulk cancel) would leave
 * the batch running forever with nothing working on it. The engine (ours or Inngest's) emits
 * inngest/function.cancelled for every cancelled run; for a run-batch run that owned its batch, the
 * batch's unfinished cells are cancelled and the runs below it told to stop, as the creator's cancel does.
 * The app's own cancel reaches here too and finds the batch already ended.
 */
import { abandonBatch, getDb } from "@/lib/db";
import { inngest } from "../client";
import { batchCancelled, cancelEventId } from "../events";
import { runBatch } from "./run-batch";

const REASON = "The batch's workflow run was cancelled outside the app.";

export const endCancelledBatch = inngest.createFunction(
  {
    id: "end-cancelled-batch",
    name: "End a batch whose run was cancelled",
    retries: 4,
    triggers: [
      {
        event: "inngest/function.cancelled",
        if: `event.data.function_id == '${runBatch.id(inngest.id)}'`,
      },
    ],
  },
  async ({ event, step }) => {
    const original = event.data.event as { data?: { batchId?: unknown } } | undefined;
    const batchId = original?.data?.batchId;
    if (typeof batchId !== "string") return { status: "not a batch run" };
    const ended = await step.run("cancel-cells", async () => {
      const result = await abandonBatch(await getDb(), batchId, {
        runId: String(event.data.run_id),
        reason: REASON,
        outcome: "cancelled",
      });
      return { cells: result?.ended.length ?? 0, eventId: cancelEventId(batchId, result?.ended ?? []) };
    });
    if (ended.cells > 0) {
      await step.sendEvent(
        "stop-runs",
        batchCancelled.create({ batchId, reason: REASON }, { id: ended.eventId }),
      );
    }
    return { status: ended.cells > 0 ? "cancelled" : "nothing to end", cells: ended.cells };
  },
);
