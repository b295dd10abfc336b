/**
 * Database round trips per cell through the leaf's steps (generate, compose, record, or record-failure),
 * counted at the engine: with Postgres each statement is a network round trip, with PGlite a turn on the
 * web server's main thread. A regression here multiplies by every image of every batch.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  AttemptFailed,
  composeStep,
  generateStep,
  recordFailureStep,
  recordStep,
  type CellRef,
} from "@/lib/batches/cell-work";
import { createBatch } from "@/lib/db";
import { cellStepWorld } from "../helpers/cell-steps";
import { countedDb } from "../helpers/counted-db";

const world = cellStepWorld("fast");
let counted: Awaited<ReturnType<typeof countedDb>>;

beforeAll(async () => {
  counted = await countedDb();
});
afterAll(() => counted?.close());

/** A step's result as the engine memoizes it and hands it to the next step: as JSON. */
const memoized = <T>(result: T): T => JSON.parse(JSON.stringify(result)) as T;

/** One leaf as generate-cell runs it: generate (retried while retryable), compose, record; else record-failure. */
async function leaf(ref: CellRef, retries = 2): Promise<string> {
  const { db } = counted;
  for (let attempt = 0; ; attempt++) {
    try {
      const generated = memoized(await generateStep(db, ref, attempt, attempt >= retries));
      if (generated.kind !== "raw") return generated.status;
      const image = memoized(await composeStep(db, ref, generated.rawKey, generated.spec));
      return (await recordStep(db, image)).status;
    } catch (err) {
      if (err instanceof AttemptFailed && err.retryable && attempt < retries) continue;
      await recordFailureStep(db, ref, (err as Error).message, "failed");
      return "failed";
    }
  }
}

describe.each([null, 10])("statements per cell (budget %s)", (budgetUsd) => {
  let batchId = "";
  beforeAll(async () => {
    const input = {
      prompts: ["Plain", "Retried once [sim:500*1]", "Blocked [sim:moderation]", "Last"].map(
        (title) => `${title} ${budgetUsd}`,
      ),
      models: ["gpt-image-1.5"],
      style: "neon",
      template: "bottom-bar",
      font: "inter",
      canvas: "blog",
    };
    batchId = (await createBatch(counted.db, { input, budgetUsd })).batch.id;
  });

  // [title index, outcome, statements, transactions]: a read and a write to start the call (the write
  // reserves its price when the batch has a budget), one write for its result, and one write to record
  // the picture (from the cell as the result's write left it, handed on through compose: no read);
  // the batch's last cell also finishes the batch, in one transaction.
  it.each([
    [0, "succeeded", 4, 0],
    [1, "succeeded", 7, 0],
    [2, "failed", 5, 0],
    [3, "succeeded", 9, 1],
  ])(
    "title %i ends %s in %i statements and %i transactions",
    async (promptIndex, status, statements, txs) => {
      counted.reset();
      expect(await leaf({ batchId, promptIndex, model: "gpt-image-1.5", round: 0 })).toBe(status);
      expect({ statements: counted.counts.statements, transactions: counted.counts.transactions }).toEqual({
        statements,
        transactions: txs,
      });
      expect(world.sim.requests.length).toBeGreaterThan(0);
    },
  );
});
