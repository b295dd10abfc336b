/**
 * Deletes files in blob storage that no cell uses any more (lib/batches/orphans.ts), on a schedule
 * (STORAGE_SWEEP_CRON, every six hours by default) or when a storage/sweep.requested event asks.
 * One sweep at a time; each step is safe to repeat (deleting a missing file is not an error).
 */
import { eventType } from "inngest";
import { z } from "zod";
import { sweepOrphanBatchFiles, sweepOrphanRaws } from "@/lib/batches/orphans";
import { getDb } from "@/lib/db";
import { readEnv, scheduleOf } from "@/lib/env";
import { getStorage } from "@/lib/storage";
import { inngest } from "../client";

export const storageSweepRequested = eventType("storage/sweep.requested", { schema: z.object({}) });

const schedule = scheduleOf("STORAGE_SWEEP_CRON");

export const sweepStorage = inngest.createFunction(
  {
    id: "sweep-storage",
    name: "Delete stored files no image uses",
    retries: 3,
    concurrency: [{ limit: 1 }],
    triggers: [storageSweepRequested, ...(schedule ? [{ cron: schedule }] : [])],
  },
  async ({ step }) => {
    const options = () => ({ graceMs: readEnv().STORAGE_SWEEP_GRACE_MS });
    const raws = await step.run("raw-images", async () =>
      sweepOrphanRaws(await getDb(), getStorage(), options()),
    );
    const batchFiles = await step.run("thumbnails-and-sheets", async () =>
      sweepOrphanBatchFiles(await getDb(), getStorage(), options()),
    );
    return { raws, batchFiles };
  },
);
