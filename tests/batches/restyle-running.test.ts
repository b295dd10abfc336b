/**
 * A restyle of a batch still at work is refused (409), as the batch page offers one only once the batch
 * has finished: it would carry over only the pictures made so far. Once finished, the same request goes.
 */
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it, vi } from "vitest";
import { memoryDb } from "../helpers/memory-db";

vi.mock("@/inngest/client", () => ({
  inngest: { send: async () => ({ ids: ["x"] }) },
}));

const dir = mkdtempSync(path.join(os.tmpdir(), "restyle-running-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const ctx = memoryDb({ INNGEST_DEV: "http://127.0.0.1:9", BLOB_DIR: dir });

describe("restyle of a batch that has not finished", () => {
  it("is refused while the batch runs, creating nothing, and goes once it has finished", async () => {
    const { restyleBatch } = await import("@/lib/batches/restyle");
    const { getStorage } = await import("@/lib/storage");
    const db = await ctx.lib.getDb();
    const { batch, cells } = await ctx.fx.newBatch(db, 2, ["gpt-image-1.5"]);
    await ctx.lib.claimBatch(db, batch.id, "run-1");
    const made = await ctx.fx.succeed(db, ctx.fx.at(cells, 0));
    await getStorage().put(made.rawKey!, new Uint8Array([1, 2, 3]), { contentType: "image/png" });
    const count = async () => (await ctx.lib.listBatches(db, { limit: 100 })).batches.length;
    const before = await count();

    expect(await restyleBatch(batch.id, { template: "center-box" })).toEqual({
      ok: false,
      status: 409,
      error:
        "This batch is still running: restyle it once it has finished, so every picture it makes is carried over.",
      issues: [],
    });
    expect(await count()).toBe(before);

    await ctx.fx.succeed(db, ctx.fx.at(cells, 1));
    await ctx.lib.finishBatchIfDone(db, batch.id);
    const restyled = await restyleBatch(batch.id, { template: "center-box" });
    expect(restyled).toMatchObject({ ok: true });
    expect(await count()).toBe(before + 1);
  });
});
