/**
 * Deletes files in blob storage that no cell uses any more (lib/batches/orphans.ts), on a schedule
 * (STORAGE_SWEEP_CRON: every six hours by default with local files; with Vercel Blob only when set) or
 * when a storage/sweep.requested event asks (`{"force": true}` past the refusal for a store that looks
 * shared). One sweep at a time. It counts the orphans first and deletes after; each step goes
 * through a few pages of one prefix's listing and is safe to repeat (deleting a missing file is not an
 * error).
 */
import { eventType, NonRetriableError } from "inngest";
import { z } from "zod";
import {
  addReport,
  BATCH_FILE_PREFIXES,
  guardSweep,
  sweepOrphanBatchFilePages,
  sweepOrphanRawPages,
  SweepRefusedError,
  type OrphanSweepReport,
  type SweepPart,
  type SweepPass,
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

/** Pages (of 1,000 files) one step goes through. */
const PAGES_PER_STEP = 10;
/**
 * Steps per pass over a prefix in one run: 1,500,000 files. Two passes over three prefixes stay below
 * Inngest's 1,000 steps. In a bigger store a run counts and sweeps that many files of each prefix and
 * leaves the rest (its output says so).
 */
const MAX_STEPS_PER_PASS = 150;

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
    /** One pass over one prefix, PAGES_PER_STEP pages a step, at most `steps` steps. */
    const pass = async (
      name: string,
      steps: number,
      part: (db: Db, at: SweepPosition) => Promise<SweepPart>,
    ) => {
      const total: OrphanSweepReport = { checked: 0, orphans: 0, deleted: 0, bytes: 0 };
      let cursor: string | null = null;
      let n = 0;
      while (n < steps) {
        const at: SweepPosition = { cursor, pages: PAGES_PER_STEP };
        const done: SweepPart = await step.run(`${name}-${n}`, async () => part(await getDb(), at));
        n++;
        addReport(total, done.report);
        cursor = done.cursor;
        if (cursor === null) break;
      }
      return { total, steps: n, complete: cursor === null };
    };
    /**
     * Counts the orphans of `prefixes` first and refuses (deleting nothing) when they look like another
     * database's files; then deletes them, over as many pages as were counted.
     */
    const sweep = async (
      what: string,
      name: string,
      prefixes: readonly ((db: Db, kind: SweepPass, at: SweepPosition) => Promise<SweepPart>)[],
    ) => {
      const counted: OrphanSweepReport = { checked: 0, orphans: 0, deleted: 0, bytes: 0 };
      const reach: number[] = [];
      let complete = true;
      for (const [i, part] of prefixes.entries()) {
        const done = await pass(`${name}-${i}-count`, MAX_STEPS_PER_PASS, (db, at) => part(db, "count", at));
        addReport(counted, done.total);
        reach.push(done.steps);
        complete &&= done.complete;
      }
      try {
        guardSweep(what, counted, { force });
      } catch (error) {
        if (error instanceof SweepRefusedError) throw new NonRetriableError(error.message);
        throw error;
      }
      const deleted: OrphanSweepReport = { checked: 0, orphans: 0, deleted: 0, bytes: 0 };
      for (const [i, part] of prefixes.entries()) {
        const done = await pass(`${name}-${i}-delete`, reach[i]!, (db, at) => part(db, "delete", at));
        addReport(deleted, done.total);
      }
      const { checked, orphans } = counted;
      return { checked, orphans, deleted: deleted.deleted, bytes: deleted.bytes, complete };
    };
    const raws = await sweep("raw images", "raw-images", [
      (db, kind, at) => sweepOrphanRawPages(db, getStorage(), options(), kind, at),
    ]);
    const batchFiles = await sweep(
      "thumbnails and contact sheets",
      "batch-files",
      BATCH_FILE_PREFIXES.map(
        (prefix) => (db: Db, kind: SweepPass, at: SweepPosition) =>
          sweepOrphanBatchFilePages(db, getStorage(), prefix, options(), kind, at),
      ),
    );
    return { raws, batchFiles };
  },
);
