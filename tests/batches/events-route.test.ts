/**
 * GET and HEAD /api/batches/:id/events through the route. HEAD answers the stream's headers without
 * starting one: Next drops a HEAD's body unread, and that stream went on polling the database for as
 * long as its batch ran. A position that is not an event id (only digits are) is refused, naming where
 * it came from.
 */
import { describe, expect, it, vi } from "vitest";
import { memoryDb } from "../helpers/memory-db";

vi.mock("@/lib/batches/owner-cookie", () => ({ ownsBatch: async () => false }));

const ctx = memoryDb({ RUN_CHECK_AFTER_MS: "600000" });

async function call(method: "GET" | "HEAD", id: string, init: { query?: string; lastEventId?: string } = {}) {
  const route = await import("@/app/api/batches/[id]/events/route");
  const request = new AbortController();
  const headers: Record<string, string> =
    init.lastEventId === undefined ? {} : { "last-event-id": init.lastEventId };
  const url = `http://studio.test/api/batches/${id}/events${init.query ?? ""}`;
  const res = await route[method](new Request(url, { method, headers, signal: request.signal }), {
    params: Promise.resolve({ id }),
  });
  return { res, stop: () => request.abort() };
}

async function runningBatch(): Promise<string> {
  const db = await ctx.lib.getDb();
  const { batch } = await ctx.fx.newBatch(db, 1, ["gpt-image-1.5"]);
  await ctx.lib.claimBatch(db, batch.id, "run-1");
  return batch.id;
}

describe("HEAD /api/batches/:id/events", () => {
  it("answers the stream's headers with no stream behind them", async () => {
    const { res } = await call("HEAD", await runningBatch());
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/event-stream; charset=utf-8");
    expect(res.body).toBeNull();
  });

  it("answers 404 for no such batch and 400 for a position that is no event id, as GET does", async () => {
    expect((await call("HEAD", "nope")).res.status).toBe(404);
    expect((await call("HEAD", await runningBatch(), { query: "?after=x" })).res.status).toBe(400);
  });
});

describe("the position a stream resumes after", () => {
  it.each([
    ["1e3", "Last-Event-ID"],
    ["0x10", "Last-Event-ID"],
    ["-1", "Last-Event-ID"],
    ["1.5", "Last-Event-ID"],
  ])("refuses Last-Event-ID %j", async (value, path) => {
    const { res } = await call("GET", await runningBatch(), { lastEventId: value });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      error: "Invalid event stream position.",
      issues: [{ path, message: `${path} must be a non-negative integer (an event id this stream sent)` }],
    });
  });

  it("names ?after when that is where it came from", async () => {
    const { res } = await call("GET", await runningBatch(), { query: "?after=1e3" });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { issues: unknown[] }).issues).toEqual([
      { path: "after", message: "after must be a non-negative integer (an event id this stream sent)" },
    ]);
  });

  it.each([" 1 ", "", "0"])("takes Last-Event-ID %j", async (value) => {
    const { res, stop } = await call("GET", await runningBatch(), { lastEventId: value });
    expect(res.status).toBe(200);
    stop();
    await res.body?.cancel();
  });
});
