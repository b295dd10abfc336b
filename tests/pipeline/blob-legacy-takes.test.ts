/**
 * GET /api/blob for a later take stored before take keys had a tag (final/<batch>/<i>-<model>-t<n>.jpg,
 * guessable from a shared batch's id): served to anyone while its cell shows it, else to its owner only.
 * Takes made now carry a tag instead (tests/pipeline/keys.test.ts), and need no database look-up.
 */
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET } from "@/app/api/blob/[...key]/route";
import { BROWSER_KEY_COOKIE, newBrowserKey, ownedBatchId, ownerToken } from "@/lib/batches/owner";
import { getStorage } from "@/lib/storage";
import { memoryDb } from "../helpers/memory-db";

const blobDir = mkdtempSync(path.join(os.tmpdir(), "blob-legacy-"));
const ctx = memoryDb({ BLOB_DIR: blobDir, APP_SECRET: "blob legacy takes test secret", ADMIN_TOKEN: "" });
const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 0xff, 0xd9]);
const browser = newBrowserKey();
let id: string;
const key = (name: string) => `final/${id}/${name}`;

beforeAll(async () => {
  delete process.env.BLOB_READ_WRITE_TOKEN;
  id = ownedBatchId(browser);
  const db = await ctx.lib.getDb();
  const { cells } = await ctx.lib.createBatch(db, {
    id,
    input: ctx.fx.makeInput(1, ["local-preview"]),
    estimatedCostUsd: 0,
  });
  const picture = (finalKey: string) => ({
    rawKey: null,
    finalKey,
    width: 1,
    height: 1,
    bytes: JPEG.length,
    startedAt: null,
    finishedAt: null,
    durationMs: null,
  });
  // Shows its second take; the first take and the first picture are its other takes.
  await db
    .update(ctx.lib.cells)
    .set({
      status: "succeeded",
      take: 2,
      finalKey: key("0-local-preview-t2.jpg"),
      others: [picture(key("0-local-preview-t1.jpg")), picture(key("0-local-preview.jpg"))],
    })
    .where(eq(ctx.lib.cells.id, cells[0]!.id));
  for (const name of [
    "0-local-preview.jpg",
    "0-local-preview-t1.jpg",
    "0-local-preview-t2.jpg",
    "5-gone-t1.jpg",
  ])
    await getStorage().put(key(name), JPEG, { contentType: "image/jpeg" });
});

afterAll(() => rmSync(blobDir, { recursive: true, force: true }));

function get(blobKey: string, headers: Record<string, string> = {}): Promise<Response> {
  const request = new Request(`http://studio.test/api/blob/${blobKey}?v=1`, { headers });
  return GET(request, { params: Promise.resolve({ key: blobKey.split("/") }) });
}

describe("GET /api/blob for a take stored before take keys had a tag", () => {
  it("serves the picture its cell shows to anyone, as before", async () => {
    const res = await get(key("0-local-preview-t2.jpg"));
    expect([res.status, res.headers.get("cache-control")]).toEqual([
      200,
      "public, max-age=31536000, immutable",
    ]);
    // The first picture was the shared page's before any take: its key stays as it was.
    expect((await get(key("0-local-preview.jpg"))).status).toBe(200);
  });

  it("hides a replaced take from visitors who guess its key, and serves it to the owner, privately", async () => {
    const hidden = key("0-local-preview-t1.jpg");
    expect((await get(hidden)).status).toBe(404);
    expect((await get(hidden, { authorization: "Bearer guess" })).status).toBe(404);
    expect((await get(hidden, { cookie: `${BROWSER_KEY_COOKIE}=${newBrowserKey()}` })).status).toBe(404);
    const owners: Record<string, string>[] = [
      { cookie: `${BROWSER_KEY_COOKIE}=${browser}` },
      { cookie: `owner_${id}=${ownerToken(id)}` },
      { authorization: `Bearer ${ownerToken(id)}` },
    ];
    for (const headers of owners) {
      const res = await get(hidden, headers);
      expect([res.status, res.headers.get("cache-control")]).toEqual([
        200,
        "private, max-age=31536000, immutable",
      ]);
      expect(Buffer.from(await res.arrayBuffer()).equals(JPEG)).toBe(true);
    }
    // A file of no cell (its batch's cell gone) is its batch owner's only, too.
    expect((await get(key("5-gone-t1.jpg"))).status).toBe(404);
    expect((await get(key("5-gone-t1.jpg"), { authorization: `Bearer ${ownerToken(id)}` })).status).toBe(200);
  });
});
