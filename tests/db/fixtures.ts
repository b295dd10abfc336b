import crypto from "node:crypto";
import {
  claimBatch,
  completeCell,
  createBatch,
  finishBatchIfDone,
  recordAttemptResult,
  recordAttemptStart,
  type BatchInput,
  type CellRow,
  type Db,
} from "@/lib/db";

/** A batch input with a style unique to the test, so gallery queries see only this test's rows. */
export function makeInput(prompts: number, models: string[], extra: Partial<BatchInput> = {}): BatchInput {
  return {
    prompts: Array.from({ length: prompts }, (_, i) => `Title ${i + 1}`),
    models,
    style: `style-${crypto.randomBytes(4).toString("hex")}`,
    template: "bold-bar",
    font: "inter",
    canvas: "blog",
    ...extra,
  };
}

export async function newBatch(db: Db, prompts: number, models: string[], extra: Partial<BatchInput> = {}) {
  return createBatch(db, {
    input: makeInput(prompts, models, extra),
    estimatedCostUsd: 0.04 * prompts * models.length,
  });
}

/** Runs a cell through one successful attempt to a stored image. */
export async function succeed(db: Db, cell: CellRow, costUsd = 0.04): Promise<CellRow> {
  await recordAttemptStart(db, cell.id, { attempt: 0 });
  await recordAttemptResult(db, cell.id, {
    attempt: 0,
    outcome: "ok",
    requestId: `req-${cell.id}`,
    costUsd,
    rawKey: `raw/${cell.id}.png`,
  });
  const done = await completeCell(db, cell.id, {
    finalKey: `final/${cell.id}.webp`,
    width: 1280,
    height: 720,
    bytes: 1000,
  });
  if (!done.cell) throw new Error("cell vanished");
  return done.cell;
}

/** Runs a cell through one permanently failing attempt. */
export async function fail(db: Db, cell: CellRow, error = "blocked by moderation"): Promise<CellRow> {
  await recordAttemptStart(db, cell.id, { attempt: 0 });
  const result = await recordAttemptResult(db, cell.id, {
    attempt: 0,
    outcome: "failed",
    error,
    errorKind: "moderation",
    requestId: `req-${cell.id}`,
  });
  if (!result.cell) throw new Error("cell vanished");
  return result.cell;
}

export function at<T>(list: readonly T[], index: number): T {
  const item = list[index];
  if (item === undefined) throw new Error(`no item at ${index}`);
  return item;
}

/** A finished two-cell batch on one model, claimed by `runId`: one cell succeeded, one failed (partial). */
export async function partialBatch(db: Db, runId: string) {
  const { batch, cells } = await newBatch(db, 2, ["gpt-image-1.5"]);
  await claimBatch(db, batch.id, runId);
  await succeed(db, at(cells, 0));
  await fail(db, at(cells, 1));
  await finishBatchIfDone(db, batch.id);
  return { batch, cells };
}
