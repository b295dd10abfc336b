/**
 * A client reconnecting to a batch's live stream with a Last-Event-ID past the batch's newest event (a
 * guess, another batch's id, one from a database since restored) gets the whole log, as a new connection
 * does, instead of only the end or nothing at all.
 */
import { describe, expect, it } from "vitest";
import { memoryDb } from "../helpers/memory-db";
import { readMessages } from "../helpers/sse";

const ctx = memoryDb({ RUN_CHECK_AFTER_MS: "600000" });

async function read(batchId: string, after: number, ms: number) {
  const { batchEventStream } = await import("@/lib/batches/stream");
  const request = new AbortController();
  const messages = await readMessages(batchEventStream(batchId, after, request.signal), ms);
  request.abort();
  return messages;
}

describe("the live stream resumed after an id past the batch's newest event", () => {
  it("replays a finished batch from the start, then ends", async () => {
    const db = await ctx.lib.getDb();
    const { batch } = await ctx.fx.partialBatch(db, "run-1");
    const newest = (await ctx.lib.getBatch(db, batch.id))!.lastEventId;

    const fresh = await read(batch.id, 0, 5_000);
    expect(fresh.filter((m) => m.kind === "cell").length).toBeGreaterThanOrEqual(2);
    expect(fresh.at(-2)).toMatchObject({ kind: "batch", batch: { status: "partial" } });
    expect(fresh.at(-1)).toEqual({ kind: "end" });
    expect(await read(batch.id, newest + 1, 5_000)).toEqual(fresh);
    expect(await read(batch.id, Number.MAX_SAFE_INTEGER, 5_000)).toEqual(fresh);
    // Up to date: only the end.
    expect(await read(batch.id, newest, 5_000)).toEqual([{ kind: "end" }]);
  });

  it("replays a running batch from the start too, and stays open", async () => {
    const db = await ctx.lib.getDb();
    const { batch, cells } = await ctx.fx.newBatch(db, 2, ["gpt-image-1.5"]);
    await ctx.lib.claimBatch(db, batch.id, "run-2");
    await ctx.fx.succeed(db, ctx.fx.at(cells, 0));
    // An id of a batch made since: past this one's newest event.
    const other = await ctx.fx.newBatch(db, 1, ["gpt-image-1.5"]);
    const otherId = (await ctx.lib.getBatch(db, other.batch.id))!.lastEventId;

    const fresh = await read(batch.id, 0, 1_500);
    expect(fresh.some((m) => m.kind === "cell" && m.cell.status === "succeeded")).toBe(true);
    expect(fresh.some((m) => m.kind === "end")).toBe(false);
    expect(await read(batch.id, otherId, 1_500)).toEqual(fresh);
  });
});
