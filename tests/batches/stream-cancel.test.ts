/**
 * A provider call out when its batch is cancelled still lands: its cost counts and its picture is
 * kept for a resume. The batch page hears of it because the batch's live stream stays open until
 * such calls have ended, instead of ending with the cancel.
 */
import { describe, expect, it } from "vitest";
import type { LiveMessage } from "@/lib/batches/live";
import { memoryDb } from "../helpers/memory-db";
import { readMessages } from "../helpers/sse";

const ctx = memoryDb({ RUN_CHECK_AFTER_MS: "600000" });

/**
 * The batch's stream from `after`, read while the cell's call out lands ($0.04) half a second in, and
 * `then` happens.
 */
async function streamWhileCallLands(
  batchId: string,
  after: number,
  cellId: string,
  rawKey: string,
  then?: () => Promise<unknown>,
) {
  const { batchEventStream } = await import("@/lib/batches/stream");
  const db = await ctx.lib.getDb();
  const request = new AbortController();
  const reading = readMessages(batchEventStream(batchId, after, request.signal), 8_000);
  await new Promise((resolve) => setTimeout(resolve, 500));
  await ctx.lib.recordAttemptResult(db, cellId, { attempt: 0, outcome: "ok", costUsd: 0.04, rawKey });
  await then?.();
  const messages = await reading;
  request.abort();
  return messages;
}

/** The counts of calls out the batch messages among `messages` carried, in order. */
const callsOutSent = (messages: LiveMessage[]) =>
  messages.flatMap((m) => (m.kind === "batch" && m.batch.callsOut !== undefined ? [m.batch.callsOut] : []));

/** The same for the cancelled cells' calls among them, which a resume waits for. */
const cancelledSent = (messages: LiveMessage[]) =>
  messages.flatMap((m) =>
    m.kind === "batch" && m.batch.cancelledCallsOut !== undefined ? [m.batch.cancelledCallsOut] : [],
  );

describe("the live stream of a batch cancelled while a call was out", () => {
  it("stays open until the call lands, delivers its cell and cost, then ends", async () => {
    const { readBatch } = await import("@/lib/batches/service");
    const db = await ctx.lib.getDb();
    const { batch, cells } = await ctx.fx.newBatch(db, 1, ["gpt-image-1.5"]);
    const cell = ctx.fx.at(cells, 0);
    await ctx.lib.claimBatch(db, batch.id, "run-1");
    await ctx.lib.recordAttemptStart(db, cell.id, { attempt: 0 });
    await ctx.lib.cancelBatch(db, batch.id, { reason: "stop" });
    const read = await readBatch(batch.id);
    expect(read?.batch).toMatchObject({ status: "cancelled", callsOut: 1, cancelledCallsOut: 1 });

    const messages = await streamWhileCallLands(batch.id, read!.lastEventId, cell.id, "raw/x");

    const landed = messages.find((m) => m.kind === "cell");
    expect(landed).toMatchObject({ cell: { status: "cancelled", reusable: true }, batchCostUsd: 0.04 });
    // The page learns how many calls are out as that changes: its Resume waits for none.
    expect(callsOutSent(messages)).toEqual([1, 0]);
    expect(cancelledSent(messages)).toEqual([1, 0]);
    expect(messages.at(-1)).toEqual({ kind: "end" });
    expect((await readBatch(batch.id))?.batch).toMatchObject({ callsOut: 0, actualCostUsd: 0.04 });
  });

  it("stays open for the call of a new take cancelled mid-call, though the batch is succeeded again", async () => {
    const { readBatch } = await import("@/lib/batches/service");
    const db = await ctx.lib.getDb();
    const { batch, cells } = await ctx.fx.newBatch(db, 1, ["gpt-image-1.5"]);
    const cell = await ctx.fx.succeed(db, ctx.fx.at(cells, 0));
    await ctx.lib.finishBatchIfDone(db, batch.id);
    await ctx.lib.requeueTakes(db, batch.id, [{ promptIndex: 0, model: "gpt-image-1.5" }]);
    await ctx.lib.claimBatch(db, batch.id, "run-take");
    await ctx.lib.recordAttemptStart(db, cell.id, { attempt: 0 });
    await ctx.lib.cancelBatch(db, batch.id, { reason: "stop" });
    const read = await readBatch(batch.id);
    // Back on its first picture, and the batch with it; the take's call, paid for, is still out.
    // No cancelled cell waits for it: a resume would not be held back by it.
    expect(read?.batch).toMatchObject({
      status: "succeeded",
      callsOut: 1,
      cancelledCallsOut: 0,
      actualCostUsd: 0.04,
    });

    const messages = await streamWhileCallLands(batch.id, read!.lastEventId, cell.id, "raw/y");

    expect(messages.find((m) => m.kind === "cell")).toMatchObject({ batchCostUsd: 0.08 });
    expect(callsOutSent(messages)).toEqual([1, 0]);
    expect(cancelledSent(messages)).toEqual([0, 0]);
    expect(messages.at(-1)).toEqual({ kind: "end" });
    expect((await readBatch(batch.id))?.batch).toMatchObject({ callsOut: 0, actualCostUsd: 0.08 });
  });

  it("sends the cancelled cells' calls out while the batch runs again for a new take, then none", async () => {
    const { readBatch } = await import("@/lib/batches/service");
    const db = await ctx.lib.getDb();
    const { batch, cells } = await ctx.fx.newBatch(db, 2, ["gpt-image-1.5"]);
    const [first, second] = [ctx.fx.at(cells, 0), ctx.fx.at(cells, 1)];
    await ctx.lib.claimBatch(db, batch.id, "run-1");
    await ctx.fx.succeed(db, first);
    await ctx.lib.recordAttemptStart(db, second.id, { attempt: 0 });
    await ctx.lib.cancelBatch(db, batch.id, { reason: "stop" });
    await ctx.lib.requeueTakes(db, batch.id, [{ promptIndex: 0, model: "gpt-image-1.5" }]);
    // Running again: the cancelled cell's call still holds a resume back, though nothing has ended.
    const read = await readBatch(batch.id);
    expect(read?.batch).toMatchObject({ status: "running", callsOut: 0, cancelledCallsOut: 1 });

    // The call lands, then the take is made: the batch ends (cancelled, its cancelled cell left).
    const take = async () => {
      const taken = (await ctx.lib.getBatch(db, batch.id))!.cells[0]!;
      await ctx.fx.succeed(db, taken);
      await ctx.lib.finishBatchIfDone(db, batch.id);
    };
    const messages = await streamWhileCallLands(batch.id, read!.lastEventId, second.id, "raw/z", take);

    expect(cancelledSent(messages)).toEqual([1, 0]);
    expect(messages.at(-1)).toEqual({ kind: "end" });
    expect((await readBatch(batch.id))?.batch).toMatchObject({ status: "cancelled", cancelledCallsOut: 0 });
  });

  it("ends at once for a cancelled batch with no call out", async () => {
    const { batchEventStream } = await import("@/lib/batches/stream");
    const db = await ctx.lib.getDb();
    const { batch } = await ctx.fx.newBatch(db, 1, ["gpt-image-1.5"]);
    await ctx.lib.cancelBatch(db, batch.id, { reason: "stop" });
    const from = (await ctx.lib.getBatch(db, batch.id))?.lastEventId ?? 0;
    const request = new AbortController();
    const messages = await readMessages(batchEventStream(batch.id, from, request.signal), 5_000);
    request.abort();
    expect(messages).toEqual([{ kind: "end" }]);
  });
});
