/**
 * The batch's estimate moves while its page is open: a new take adds its list price, and a take that
 * ends before its call went out (cancelled) takes it off again. The live stream sends both, whole and
 * per model, so a visitor's page (or the owner's other tab) shows them without a reload.
 */
import { describe, expect, it } from "vitest";
import type { LiveMessage } from "@/lib/batches/live";
import { memoryDb } from "../helpers/memory-db";
import { readMessages } from "../helpers/sse";

const ctx = memoryDb({ RUN_CHECK_AFTER_MS: "600000" });
const MODEL = "gpt-image-1.5";

const estimatesSent = (messages: LiveMessage[]) =>
  messages.flatMap((m) =>
    m.kind === "batch" && m.batch.estimatedCostUsd !== undefined
      ? [[m.batch.estimatedCostUsd, m.batch.estimatedByModel?.[MODEL]]]
      : [],
  );

describe("the live stream's estimate", () => {
  it("sends the estimate when a take raises it and again when the take is cancelled uncalled", async () => {
    const { readBatch } = await import("@/lib/batches/service");
    const { batchEventStream } = await import("@/lib/batches/stream");
    const db = await ctx.lib.getDb();
    const { batch, cells } = await ctx.fx.newBatch(db, 2, [MODEL]);
    await ctx.lib.claimBatch(db, batch.id, "run-1");
    await ctx.fx.succeed(db, ctx.fx.at(cells, 0));
    const read = (await readBatch(batch.id))!;
    const before = read.batch.estimatedCostUsd;
    const perModelBefore = read.batch.estimatedByModel[MODEL]!;

    const request = new AbortController();
    const reading = readMessages(batchEventStream(batch.id, read.lastEventId, request.signal), 8_000);
    await new Promise((resolve) => setTimeout(resolve, 500));
    // While the batch runs: the finished cell's new take is asked for at $0.05.
    const taken = await ctx.lib.requeueTakes(db, batch.id, [{ promptIndex: 0, model: MODEL }], {
      prices: { [MODEL]: 0.05 },
    });
    expect(taken?.kind).toBe("queued");
    await new Promise((resolve) => setTimeout(resolve, 500));
    // Cancelled before its call went out: it costs nothing, and the batch ends.
    await ctx.lib.cancelBatch(db, batch.id, { reason: "stop" });
    const messages = await reading;
    request.abort();

    expect(estimatesSent(messages)).toEqual([
      [before + 0.05, expect.closeTo(perModelBefore + 0.05, 6)],
      [before, expect.closeTo(perModelBefore, 6)],
    ]);
    expect(messages.at(-1)).toEqual({ kind: "end" });
    expect((await readBatch(batch.id))?.batch.estimatedCostUsd).toBe(before);
  });
});
