/**
 * An open batch page learns that the batch's run is gone without reloading: its live stream checks the
 * run of an idle batch, and the cells the check fails reach the page like any other change. The lookup
 * and the engine are stand-ins here (tests/e2e/lost-run.test.ts runs the real ones).
 */
import { describe, expect, it, vi } from "vitest";
import { sent } from "../helpers/inngest-sent";
import { memoryDb } from "../helpers/memory-db";
import { readMessages } from "../helpers/sse";
import type { RunStatus } from "@/lib/batches/run-status";

const lookups: string[] = [];
vi.mock("@/lib/batches/run-status", () => ({
  runApiConfig: () => ({ baseUrl: "http://engine.invalid/", mode: "dev" }),
  fetchRunStatus: async (runId: string): Promise<RunStatus> => {
    lookups.push(runId);
    return { state: "missing" };
  },
}));

vi.mock("@/inngest/client", () => import("../helpers/inngest-sent"));

const ctx = memoryDb({ INNGEST_DEV: "http://127.0.0.1:9", RUN_CHECK_AFTER_MS: "0" });

describe("the live stream of a batch whose run is gone", () => {
  it("delivers the failed cells and the finished batch, then ends", async () => {
    const { batchEventStream } = await import("@/lib/batches/stream");
    const db = await ctx.lib.getDb();
    const { batch, cells } = await ctx.fx.newBatch(db, 2, ["gpt-image-1.5"]);
    await ctx.lib.claimBatch(db, batch.id, "lost-run");
    await ctx.fx.succeed(db, ctx.fx.at(cells, 0));
    const from = (await ctx.lib.getBatch(db, batch.id))?.lastEventId ?? 0;

    const request = new AbortController();
    const messages = await readMessages(batchEventStream(batch.id, from, request.signal));
    request.abort();

    expect(lookups).toEqual(["lost-run"]);
    const changed = messages.flatMap((m) => (m.kind === "cell" ? [m.cell] : []));
    expect(changed.map((c) => [c.id, c.status, c.errorKind])).toEqual([
      [ctx.fx.at(cells, 1).id, "failed", "workflow"],
    ]);
    expect(messages.find((m) => m.kind === "batch")).toMatchObject({ batch: { status: "partial" } });
    expect(messages.at(-1)).toEqual({ kind: "end" });
    // Whatever runs of the batch are still alive are told to stop.
    expect(sent).toMatchObject([
      { name: "batch/cancelled", id: `batch-cancelled-${batch.id}-0`, data: { batchId: batch.id } },
    ]);
  });
});
