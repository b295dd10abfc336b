import { getEventListeners } from "node:events";
import { describe, expect, it } from "vitest";
import { pause } from "@/lib/batches/stream";

describe("SSE stream pauses", () => {
  it("leave no abort listener on the request's signal, however many the stream takes", async () => {
    const request = new AbortController();
    for (let i = 0; i < 20; i++) await pause(1, request.signal);
    expect(getEventListeners(request.signal, "abort")).toHaveLength(0);
  });

  it("end early when the request is aborted", async () => {
    const request = new AbortController();
    const t = performance.now();
    const waiting = pause(5_000, request.signal);
    request.abort();
    await waiting;
    expect(performance.now() - t).toBeLessThan(1_000);
    expect(getEventListeners(request.signal, "abort")).toHaveLength(0);
  });
});
