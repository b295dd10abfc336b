/**
 * A provider call out when its batch is cancelled still lands: its cost counts and its picture is
 * kept for a resume. The batch page hears of it because the batch's live stream stays open until
 * such calls have ended, instead of ending with the cancel.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readMessages } from "../helpers/sse";

const saved = { ...process.env };
let lib: typeof import("@/lib/db");
let fx: typeof import("../db/fixtures");

beforeAll(async () => {
  Object.assign(process.env, { PGLITE_DIR: "memory", RUN_CHECK_AFTER_MS: "600000" });
  delete process.env.DATABASE_URL;
  lib = await import("@/lib/db");
  fx = await import("../db/fixtures");
});

afterAll(async () => {
  await lib?.closeDb();
  process.env = saved;
});

describe("the live stream of a batch cancelled while a call was out", () => {
  it("stays open until the call lands, delivers its cell and cost, then ends", async () => {
    const { batchEventStream } = await import("@/lib/batches/stream");
    const { readBatch } = await import("@/lib/batches/service");
    const db = await lib.getDb();
    const { batch, cells } = await fx.newBatch(db, 1, ["gpt-image-1.5"]);
    const cell = fx.at(cells, 0);
    await lib.claimBatch(db, batch.id, "run-1");
    await lib.recordAttemptStart(db, cell.id, { attempt: 0 });
    await lib.cancelBatch(db, batch.id, { reason: "stop" });
    const read = await readBatch(batch.id);
    expect(read?.batch).toMatchObject({ status: "cancelled", callsOut: 1 });

    const request = new AbortController();
    const reading = readMessages(batchEventStream(batch.id, read!.lastEventId, request.signal), 8_000);
    await new Promise((resolve) => setTimeout(resolve, 500));
    await lib.recordAttemptResult(db, cell.id, { attempt: 0, outcome: "ok", costUsd: 0.04, rawKey: "raw/x" });
    const messages = await reading;
    request.abort();

    const landed = messages.find((m) => m.kind === "cell");
    expect(landed).toMatchObject({ cell: { status: "cancelled", reusable: true }, batchCostUsd: 0.04 });
    expect(messages.at(-1)).toEqual({ kind: "end" });
    expect((await readBatch(batch.id))?.batch).toMatchObject({ callsOut: 0, actualCostUsd: 0.04 });
  });

  it("ends at once for a cancelled batch with no call out", async () => {
    const { batchEventStream } = await import("@/lib/batches/stream");
    const db = await lib.getDb();
    const { batch } = await fx.newBatch(db, 1, ["gpt-image-1.5"]);
    await lib.cancelBatch(db, batch.id, { reason: "stop" });
    const from = (await lib.getBatch(db, batch.id))?.lastEventId ?? 0;
    const request = new AbortController();
    const messages = await readMessages(batchEventStream(batch.id, from, request.signal), 5_000);
    request.abort();
    expect(messages).toEqual([{ kind: "end" }]);
  });
});
