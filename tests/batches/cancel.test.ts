/**
 * The cancel control through its route: a running batch is cancelled; one that has already finished
 * (cancelled before, or ended on its own) is refused with 409 naming its status, and nothing is changed
 * or sent. A plain form post (JavaScript off) goes back to the batch page with that reason.
 */
import { describe, expect, it, vi } from "vitest";
import { sent } from "../helpers/inngest-sent";
import { memoryDb } from "../helpers/memory-db";

vi.mock("@/lib/batches/owner-cookie", () => ({ ownerDecision: async () => ({ granted: true }) }));

vi.mock("@/inngest/client", () => import("../helpers/inngest-sent"));

const ctx = memoryDb({ INNGEST_DEV: "http://127.0.0.1:9", APP_SECRET: "a test secret of enough length" });

async function cancel(id: string, form = false): Promise<Response> {
  const { POST } = await import("@/app/api/batches/[id]/cancel/route");
  const request = new Request(`http://studio.test/api/batches/${id}/cancel`, {
    method: "POST",
    ...(form ? { headers: { "content-type": "application/x-www-form-urlencoded" }, body: "page=2" } : {}),
  });
  return POST(request, { params: Promise.resolve({ id }) });
}

const lastEventId = async (id: string) => (await ctx.lib.getBatch(await ctx.lib.getDb(), id))!.lastEventId;

describe("POST /api/batches/:id/cancel", () => {
  it("cancels a running batch; cancelling it again is refused and changes nothing", async () => {
    const db = await ctx.lib.getDb();
    const { batch } = await ctx.fx.newBatch(db, 2, ["gpt-image-1.5"]);
    await ctx.lib.claimBatch(db, batch.id, "run-1");
    sent.length = 0;

    const first = await cancel(batch.id);
    expect(first.status).toBe(200);
    expect(((await first.json()) as { batch: { status: string } }).batch.status).toBe("cancelled");
    expect(sent).toHaveLength(1);

    const events = await lastEventId(batch.id);
    const again = await cancel(batch.id);
    expect(again.status).toBe(409);
    expect(await again.json()).toEqual({
      error: "This batch was already cancelled: there is nothing left to cancel, and nothing was changed.",
      issues: [],
    });
    expect(sent).toHaveLength(1);
    expect(await lastEventId(batch.id)).toBe(events);
  });

  it("refuses a batch that finished on its own, naming its status", async () => {
    const db = await ctx.lib.getDb();
    const { batch } = await ctx.fx.partialBatch(db, "run-2");
    sent.length = 0;
    const events = await lastEventId(batch.id);

    const res = await cancel(batch.id);
    expect(res.status).toBe(409);
    expect(await res.json()).toEqual({
      error:
        "This batch has already finished (partial): there is nothing left to cancel, and nothing was changed.",
      issues: [],
    });
    expect(sent).toEqual([]);
    expect(await lastEventId(batch.id)).toBe(events);
    const after = await ctx.lib.getBatch(db, batch.id);
    expect([after?.batch.status, after?.batch.cancelReason]).toEqual(["partial", null]);
  });

  it("sends a form post from a stale page back to its page of the grid, saying why nothing was done", async () => {
    const { verifiedNotice } = await import("@/lib/batches/form-return");
    const db = await ctx.lib.getDb();
    const { batch, cells } = await ctx.fx.newBatch(db, 1, ["gpt-image-1.5"]);
    await ctx.lib.claimBatch(db, batch.id, "run-3");
    await ctx.fx.succeed(db, ctx.fx.at(cells, 0));
    await ctx.lib.finishBatchIfDone(db, batch.id);

    const res = await cancel(batch.id, true);
    expect(res.status).toBe(303);
    const to = new URL(res.headers.get("location")!, "http://studio.test");
    expect([to.pathname, to.searchParams.get("page")]).toEqual([`/b/${batch.id}`, "2"]);
    const notice = verifiedNotice(
      batch.id,
      to.searchParams.get("notice") ?? undefined,
      to.searchParams.get("sig") ?? undefined,
    );
    expect(notice).toBe(
      "This batch has already finished (succeeded): there is nothing left to cancel, and nothing was changed.",
    );
  });
});
