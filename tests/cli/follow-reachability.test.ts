/**
 * Following a batch (`--wait`) while the app stops answering: the follower says so, and how long it
 * keeps trying, instead of sitting silent on a frozen progress line; it says so again when the app is
 * back. Against a small stand-in for GET /api/batches/:id and its event stream.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it, vi } from "vitest";
import { FOLLOW_UNREACHABLE_MS, followBatch } from "../../scripts/lib/batch-client";
import { follow, reachabilityLine } from "../../scripts/lib/cli-output";
import { batch as batchDto, cell } from "../helpers/batch-dto";

let server: Server | undefined;

afterEach(async () => {
  await new Promise((resolve) => server?.close(resolve) ?? resolve(null));
  server = undefined;
});

/**
 * Answers the batch read with each of `answers` in turn (a status, or the batch), the last one after;
 * the event stream with each of `streams` (a status, or 200: a stream cut off at once).
 */
async function stand(answers: (number | "running" | "done")[], streams: number[] = [200]): Promise<string> {
  let n = 0;
  let k = 0;
  server = createServer((req, res) => {
    if (req.url?.endsWith("/events")) {
      const status = streams[Math.min(k++, streams.length - 1)]!;
      res.writeHead(status, { "content-type": "text/event-stream" });
      return res.end(status === 200 ? "retry: 2000\n\n" : "");
    }
    const answer = answers[Math.min(n++, answers.length - 1)]!;
    if (typeof answer === "number") {
      res.writeHead(answer, { "content-type": "application/json" });
      return res.end(JSON.stringify({ error: "down", issues: [] }));
    }
    const status = answer === "done" ? "succeeded" : "running";
    const dto = { ...batchDto([cell(0, { status: answer === "done" ? "succeeded" : "running" })]), status };
    res.writeHead(200, { "content-type": "application/json", "x-last-event-id": "1" });
    res.end(JSON.stringify(dto));
  });
  await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe("following a batch while the app stops answering", () => {
  it("says the app is down once, how long it keeps trying, and that it is back", async () => {
    const url = await stand(["running", 503, 503, 503, "done"]);
    const heard: (string | null)[] = [];
    const final = await followBatch(url, "b1", {
      unreachableMs: 30_000,
      onReachability: (down) => heard.push(down && `${down.reason} / ${down.waitMs}`),
    });
    expect(final.status).toBe("succeeded");
    expect(heard).toEqual(["GET /api/batches/b1: HTTP 503 / 30000", null]);
  });

  it("says it once while the app answers reads but not the stream, as one that is stopping does", async () => {
    const url = await stand(["running", "running", "running", "running", "done"], [503, 503, 503, 200]);
    const heard: (string | null)[] = [];
    await followBatch(url, "b1", { onReachability: (down) => heard.push(down && down.reason) });
    expect(heard).toEqual(["events: HTTP 503", null]);
  });

  it("is quiet about a stream cut off while the app answers", async () => {
    const url = await stand(["running", "running", "running", "done"]);
    const heard: unknown[] = [];
    await followBatch(url, "b1", { onReachability: (down) => heard.push(down) });
    expect(heard).toEqual([]);
  });

  it("in the CLI's words", () => {
    expect(
      reachabilityLine({
        reason: "cannot reach the app at http://127.0.0.1:3000 (ECONNREFUSED)",
        waitMs: 60_000,
      }),
    ).toBe(
      "batch: cannot reach the app at http://127.0.0.1:3000 (ECONNREFUSED); trying again for up to 60 s " +
        "(Ctrl-C stops following, not the batch)",
    );
    expect(reachabilityLine({ reason: "HTTP 502", waitMs: FOLLOW_UNREACHABLE_MS })).toBe(
      "batch: HTTP 502; trying again for up to 5 min (Ctrl-C stops following, not the batch)",
    );
    expect(reachabilityLine(null)).toBe("batch: the app answers again; following on");
  });

  it("gives up past the limit, saying how to follow the batch again once the app is back", async () => {
    // An app that was there and is gone: its port refuses.
    const gone = await stand(["running"]);
    await new Promise((resolve) => server!.close(resolve));
    server = undefined;
    const lines: string[] = [];
    vi.spyOn(process.stderr, "write").mockImplementation((chunk) => {
      lines.push(String(chunk).trim());
      return true;
    });
    const failed = await follow(gone, "b1", true, 1_000).then(
      () => null,
      (e: Error) => e.message,
    );
    vi.restoreAllMocks();
    expect(failed).toBe(
      `cannot reach the app at ${gone} (ECONNREFUSED); the batch goes on: ` +
        `npm run batch -- wait ${gone}/b/b1 follows it again`,
    );
    expect(lines[0]).toBe(
      `batch: cannot reach the app at ${gone} (ECONNREFUSED); trying again for up to 1 s ` +
        "(Ctrl-C stops following, not the batch)",
    );
  });
});
