/**
 * Ends the batches whose workflow run is gone, though nobody has them open (lib/batches/sweep.ts), on a
 * schedule (RUN_SWEEP_CRON, every ten minutes by default) or when a lost-runs/sweep.requested event
 * asks. No steps: the run is one execution on Inngest Cloud, and repeating it is harmless.
 */
import { eventType } from "inngest";
import { z } from "zod";
import { checkBatchRun } from "@/lib/batches/check-run";
import { reconcileAfterMs } from "@/lib/batches/reconcile";
import { sweepOnce } from "@/lib/batches/sweep";
import { getDb } from "@/lib/db";
import { scheduleOf } from "@/lib/env";
import { inngest } from "../client";

export const lostRunSweepRequested = eventType("lost-runs/sweep.requested", { schema: z.object({}) });

const schedule = scheduleOf("RUN_SWEEP_CRON");

export const endLostBatches = inngest.createFunction(
  {
    id: "end-lost-batches",
    name: "End batches whose workflow run is gone",
    retries: 0,
    concurrency: [{ limit: 1 }],
    triggers: [lostRunSweepRequested, ...(schedule ? [{ cron: schedule }] : [])],
  },
  async () => {
    const ended = await sweepOnce({ db: getDb, idleMs: reconcileAfterMs, check: checkBatchRun });
    if (ended > 0) console.log(`lost-run sweep: ended ${ended} batch(es) whose workflow run is gone`);
    return { ended };
  },
);
