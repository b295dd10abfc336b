/**
 * A batch's live stream ends when the server is asked to stop. `next start` waits for every open
 * request before it exits, and a stream stays open as long as its reader (a batch page left open, the
 * CLI's `--wait`): Ctrl-C on `npm start` then never stopped the web app.
 */
import { EventEmitter, getEventListeners } from "node:events";
import { afterEach, describe, expect, it, vi } from "vitest";
import {
  endStreamsOnStopSignals,
  requestOrServerStop,
  serverStopping,
  stopServerStreams,
} from "@/lib/server-stop";
import { memoryDb } from "../helpers/memory-db";

vi.mock("@/lib/batches/owner-cookie", () => ({ ownsBatch: async () => false }));

const ctx = memoryDb({ RUN_CHECK_AFTER_MS: "600000" });

/** GET /api/batches/:id/events as a client sends it. */
async function openEvents(id: string, request = new AbortController()): Promise<Response> {
  const { GET } = await import("@/app/api/batches/[id]/events/route");
  const url = `http://studio.test/api/batches/${id}/events`;
  return GET(new Request(url, { signal: request.signal }), { params: Promise.resolve({ id }) });
}

/** Everything the stream sends until it closes (a stream that never does fails on the test's timeout). */
async function readToClose(stream: ReadableStream<Uint8Array>): Promise<string> {
  let text = "";
  const decoder = new TextDecoder();
  for await (const chunk of stream as unknown as AsyncIterable<Uint8Array>) text += decoder.decode(chunk);
  return text;
}

// The signal lives on globalThis (Next bundles routes apart): each test starts with the server up.
afterEach(() => {
  delete (globalThis as Record<symbol, unknown>)[Symbol.for("thumbnail-studio.server-stop")];
});

describe("a batch's live stream when the server stops", () => {
  it("ends, for a running batch with a reader still on it", async () => {
    const { batchEventStream } = await import("@/lib/batches/stream");
    const db = await ctx.lib.getDb();
    const { batch } = await ctx.fx.newBatch(db, 1, ["gpt-image-1.5"]);
    await ctx.lib.claimBatch(db, batch.id, "run-1");
    const request = new AbortController();
    const reading = readToClose(batchEventStream(batch.id, 0, request.signal));
    await new Promise((resolve) => setTimeout(resolve, 300));

    stopServerStreams();
    const text = await reading;

    // It sent what it had, then closed without the batch's "end": the reader (EventSource, the CLI)
    // reconnects once the app is back.
    expect(text).toContain('"kind":"batch"');
    expect(text).not.toContain('"kind":"end"');
    expect(request.signal.aborted).toBe(false);
    // Nothing is left listening on the request's signal or the server's.
    expect(getEventListeners(request.signal, "abort")).toHaveLength(0);
    expect(getEventListeners(serverStopping(), "abort")).toHaveLength(0);
  });

  it("opened while the server is stopping, ends at once", async () => {
    const { batchEventStream } = await import("@/lib/batches/stream");
    const db = await ctx.lib.getDb();
    const { batch } = await ctx.fx.newBatch(db, 1, ["gpt-image-1.5"]);
    await ctx.lib.claimBatch(db, batch.id, "run-1");
    stopServerStreams();
    const text = await readToClose(batchEventStream(batch.id, 0, new AbortController().signal));
    expect(text).toBe("retry: 2000\n\n");
  });
});

describe("GET /api/batches/:id/events while the server stops", () => {
  it("keeps the connection alive up to then; after, ends the stream and the connection at once", async () => {
    const db = await ctx.lib.getDb();
    const { batch } = await ctx.fx.newBatch(db, 1, ["gpt-image-1.5"]);
    await ctx.lib.claimBatch(db, batch.id, "run-1");
    const before = await openEvents(batch.id);
    expect(before.headers.get("connection")).toBe("keep-alive");

    stopServerStreams();
    expect(await readToClose(before.body!)).not.toContain('"kind":"end"');
    // A reader reconnecting on its kept-alive connection (EventSource, the CLI) would hold the server
    // open for good: that connection closes too.
    const after = await openEvents(batch.id);
    expect(after.status).toBe(200);
    expect(after.headers.get("connection")).toBe("close");
    expect(await readToClose(after.body!)).toBe("retry: 2000\n\n");
  });
});

describe("the server's stop signal", () => {
  it("is set off by SIGTERM or SIGINT, once listened for", () => {
    for (const signal of ["SIGTERM", "SIGINT"] as const) {
      delete (globalThis as Record<symbol, unknown>)[Symbol.for("thumbnail-studio.server-stop")];
      const proc = new EventEmitter() as unknown as NodeJS.Process;
      endStreamsOnStopSignals(proc);
      expect(serverStopping().aborted).toBe(false);
      proc.emit(signal);
      expect(serverStopping().aborted).toBe(true);
    }
  });

  it("linked to a request, follows either, and lets go of both when released", () => {
    const request = new AbortController();
    const linked = requestOrServerStop(request.signal);
    request.abort();
    expect(linked.signal.aborted).toBe(true);
    linked.release();
    expect(getEventListeners(serverStopping(), "abort")).toHaveLength(0);

    const other = new AbortController();
    const second = requestOrServerStop(other.signal);
    expect(second.signal.aborted).toBe(false);
    stopServerStreams();
    expect(second.signal.aborted).toBe(true);
    second.release();
    expect(getEventListeners(other.signal, "abort")).toHaveLength(0);
  });
});
