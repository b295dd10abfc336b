/**
 * Deletes files in blob storage that no cell uses any more (lib/batches/orphans.ts), on a schedule
 * (STORAGE_SWEEP_CRON: every six hours by default with local files; with Vercel Blob only when set) or
 * when a storage/sweep.requested event asks (`{"force": true}` past the refusal for a store that looks
 * shared). One sweep at a time; each step is safe to repeat (deleting a missing file is not an error).
 */
import { eventType, NonRetriableError } from "inngest";
import { z } from "zod";
import { sweepOrphanBatchFiles, sweepOrphanRaws, SweepRefusedError } from "@/lib/batches/orphans";
import { getDb } from "@/lib/db";
import { readEnv, storageSweepSchedule } from "@/lib/env";
import { getStorage } from "@/lib/storage";
import { inngest } from "../client";

export const storageSweepRequested = eventType("storage/sweep.requested", {
  schema: z.object({ force: z.boolean().optional() }),
});

const schedule = storageSweepSchedule();

export const sweepStorage = inngest.createFunction(
  {
    id: "sweep-storage",
    name: "Delete stored files no image uses",
    retries: 3,
    concurrency: [{ limit: 1 }],
    triggers: [storageSweepRequested, ...(schedule ? [{ cron: schedule }] : [])],
  },
  async ({ event, step }) => {
    const force = event.name === "storage/sweep.requested" && event.data.force === true;
    const options = () => ({ graceMs: readEnv().STORAGE_SWEEP_GRACE_MS, force });
    const refusedStops = async <T>(sweep: () => Promise<T>) => {
      try {
        return await sweep();
      } catch (error) {
        if (error instanceof SweepRefusedError) throw new NonRetriableError(error.message);
        throw error;
      }
    };
    const raws = await step.run("raw-images", () =>
      refusedStops(async () => sweepOrphanRaws(await getDb(), getStorage(), options())),
    );
    const batchFiles = await step.run("thumbnails-and-sheets", () =>
      refusedStops(async () => sweepOrphanBatchFiles(await getDb(), getStorage(), options())),
    );
    return { raws, batchFiles };
  },
);
