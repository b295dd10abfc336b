/**
 * Deletes files in blob storage that no cell uses any more (lib/batches/orphans.ts), on a schedule
 * (STORAGE_SWEEP_CRON: every six hours by default with local files; with Vercel Blob only when set) or
 * when a storage/sweep.requested event asks (`{"force": true}` past the refusal for a store that looks
 * shared). One sweep at a time; each step sweeps a few pages of one prefix and is safe to repeat
 * (deleting a missing file is not an error).
 */
import { eventType, NonRetriableError } from "inngest";
import { z } from "zod";
import {
  addReport,
  sweepOrphanBatchFilePages,
  sweepOrphanRawPages,
  SweepRefusedError,
  type OrphanSweepReport,
  type SweepPart,
  type SweepPosition,
} from "@/lib/batches/orphans";
import { getDb, type Db } from "@/lib/db";
import { readEnv, storageSweepSchedule } from "@/lib/env";
import { getStorage } from "@/lib/storage";
import { inngest } from "../client";

export const storageSweepRequested = eventType("storage/sweep.requested", {
  schema: z.object({ force: z.boolean().optional() }),
});

const schedule = storageSweepSchedule();

/** Pages (of 1,000 files) one step sweeps. */
const PAGES_PER_STEP = 5;
/**
 * Steps per prefix in one run (three prefixes stay well below Inngest's 1,000 steps): 750,000 files
 * each. A bigger store's rest is left to later sweeps, which start from the beginning again.
 */
const MAX_STEPS_PER_PREFIX = 150;

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
    // A page of files at a time, a few pages per step, so no step lists the whole store (a big
    // store would outlast a serverless function); each prefix goes on from the cursor its last step
    // returned.
    const sweepPrefix = async (
      name: string,
      part: (db: Db, at: SweepPosition) => Promise<SweepPart>,
    ): Promise<OrphanSweepReport & { complete: boolean }> => {
      const total: OrphanSweepReport = { checked: 0, deleted: 0, bytes: 0 };
      let cursor: string | null = null;
      for (let n = 0; n < MAX_STEPS_PER_PREFIX; n++) {
        const at: SweepPosition = { cursor, pages: PAGES_PER_STEP };
        const done: SweepPart = await step.run(`${name}-${n}`, () =>
          refusedStops(async () => part(await getDb(), at)),
        );
        addReport(total, done.report);
        cursor = done.cursor;
        if (cursor === null) return { ...total, complete: true };
      }
      return { ...total, complete: false };
    };
    const raws = await sweepPrefix("raw-images", (db, at) =>
      sweepOrphanRawPages(db, getStorage(), options(), at),
    );
    const thumbnails = await sweepPrefix("thumbnails", (db, at) =>
      sweepOrphanBatchFilePages(db, getStorage(), "final/", options(), at),
    );
    const sheets = await sweepPrefix("contact-sheets", (db, at) =>
      sweepOrphanBatchFilePages(db, getStorage(), "sheets/", options(), at),
    );
    return { raws, thumbnails, sheets };
  },
);
