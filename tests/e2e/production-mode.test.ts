/**
 * The whole app in its production storage configuration: a throwaway Postgres server (DATABASE_URL), the
 * local fake of the Vercel Blob HTTP API (BLOB_READ_WRITE_TOKEN + VERCEL_BLOB_API_URL) and the provider
 * simulator, under the built app and the local engine. A 2 × 2 batch lands as real JPEGs in the blob store
 * and as rows in Postgres, the gallery lists it, a fault on one title fails just that cell, cancel keeps a
 * picture whose call was out, retry and resume re-run only what they name, and nothing is ever written to
 * local files. A store with private access serves its pictures through the app's /api/blob route.
 */
import { existsSync, readdirSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BatchDto } from "@/lib/batches/dto";
import { DEFAULT_CANVAS_ID, getCanvas } from "@/lib/catalog/canvases";
import { startSimulator, type Simulator } from "@/lib/simulator";
import { startFakeVercelBlob, type FakeVercelBlob } from "@/lib/storage/fake-vercel-blob";
import { fetchBatch, followBatch, submitBatch } from "../../scripts/lib/batch-client";
import { BASE_REQUEST, bearer, cellAt, post, settled, until } from "../fixtures/batch-helpers";
import { startPostgres, type PostgresServer } from "../helpers/postgres";
import { startStack, type Stack } from "../helpers/stack";

const MODELS = ["gpt-image-1.5", "gemini-3-pro-image"];
const ADMIN_TOKEN = "production-mode-admin-token";
const CANVAS = getCanvas(DEFAULT_CANVAS_ID);

let postgres: PostgresServer;
let sim: Simulator;
const stores: FakeVercelBlob[] = [];
const stacks: Stack[] = [];
const clients: pg.Client[] = [];

/** A fresh database on the throwaway server, and a client on it for checking rows. */
async function newDatabase(name: string): Promise<{ url: string; db: pg.Client }> {
  const admin = new pg.Client({ connectionString: postgres.url });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = postgres.url.replace(/\/postgres$/, `/${name}`);
  const db = new pg.Client({ connectionString: url });
  await db.connect();
  clients.push(db);
  return { url, db };
}

/** The app and engine in production storage mode, on their own database and blob store. */
async function productionStack(
  database: string,
  access: "public" | "private",
): Promise<{ stack: Stack; blob: FakeVercelBlob; db: pg.Client }> {
  const [{ url, db }, blob] = await Promise.all([newDatabase(database), startFakeVercelBlob()]);
  stores.push(blob);
  const stack = await startStack({
    DATABASE_URL: url,
    BLOB_READ_WRITE_TOKEN: blob.token,
    BLOB_ACCESS: access,
    VERCEL_BLOB_API_URL: blob.apiUrl,
    PROVIDER_SIMULATOR_URL: sim.url,
    APP_SECRET: "production-mode-test-app-secret",
    ADMIN_TOKEN,
    CELL_RETRIES: "2",
  });
  stacks.push(stack);
  return { stack, blob, db };
}

/** Every file under a directory, relative to it (none when it does not exist). */
function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => path.relative(dir, path.join(d.parentPath, d.name)));
}

/** The blob key an image URL names (a public store's URL, or the app's /api/blob route). */
function keyOf(url: string): string {
  return decodeURIComponent(new URL(url, "http://app").pathname.replace(/^\/(api\/blob\/)?/, ""));
}

async function expectJpeg(res: Response, label: string): Promise<Buffer> {
  expect(res.status, label).toBe(200);
  expect(res.headers.get("content-type"), label).toBe("image/jpeg");
  const bytes = Buffer.from(await res.arrayBuffer());
  const meta = await sharp(bytes).metadata();
  expect([meta.format, meta.width, meta.height], label).toEqual(["jpeg", CANVAS.width, CANVAS.height]);
  return bytes;
}

beforeAll(async () => {
  // Postgres and the simulator have nothing to do with each other: start them side by side.
  [postgres, sim] = await Promise.all([
    startPostgres(),
    startSimulator({ port: 0, profile: { latencyMs: [20, 60], timeScale: 1 } }),
  ]);
});

afterAll(async () => {
  await Promise.all(stacks.map((s) => s.stop()));
  await Promise.all(clients.map((c) => c.end().catch(() => undefined)));
  await Promise.all(stores.map((b) => b.close()));
  await sim?.close();
  await postgres?.stop();
});

describe("production mode: Postgres, Vercel Blob (public store), provider simulator", () => {
  let stack: Stack;
  let blob: FakeVercelBlob;
  let db: pg.Client;
  let first: BatchDto;

  beforeAll(async () => {
    ({ stack, blob, db } = await productionStack("prod_public", "public"));
  });

  it("runs a 2 × 2 batch into JPEGs in the blob store and rows in Postgres", async () => {
    sim.reset();
    const created = await submitBatch(stack.appUrl, {
      ...BASE_REQUEST,
      prompts: ["Postgres keeps the rows", "Blob keeps the pictures"],
      models: MODELS,
    });
    if (!created.ok) throw new Error(`rejected: ${JSON.stringify(created)}`);
    first = await followBatch(stack.appUrl, created.id, { unreachableMs: 10_000 });
    expect(first.status).toBe("succeeded");
    expect(first.counts.succeeded).toBe(4);
    expect(sim.requests.map((r) => r.outcome)).toEqual(["ok", "ok", "ok", "ok"]);

    // Every picture is the store's own public URL; the store serves that pathname as a real JPEG.
    const storeHost = "https://fakestore.public.blob.vercel-storage.com/";
    const finalKeys: string[] = [];
    for (const row of first.results) {
      expect(row).toHaveLength(MODELS.length);
      for (const url of row) {
        expect(url?.startsWith(`${storeHost}final/${created.id}/`), String(url)).toBe(true);
        const key = keyOf(url as string);
        finalKeys.push(key);
        expect(blob.blobs.get(key)?.access, key).toBe("public");
        await expectJpeg(await fetch(new URL(`/store/${key}`, blob.apiUrl)), key);
      }
    }

    // The rows are in Postgres, each naming the blobs the store holds.
    const batchRows = await db.query<{ status: string }>("select status from batches where id = $1", [
      created.id,
    ]);
    expect(batchRows.rows).toEqual([{ status: "succeeded" }]);
    const cellRows = await db.query<{
      prompt_index: number;
      model: string;
      status: string;
      final_key: string;
      raw_key: string;
      width: number;
      height: number;
    }>(
      "select prompt_index, model, status, final_key, raw_key, width, height from cells where batch_id = $1 order by prompt_index, model",
      [created.id],
    );
    expect(cellRows.rows).toHaveLength(4);
    for (const row of cellRows.rows) {
      expect([row.status, row.width, row.height]).toEqual(["succeeded", CANVAS.width, CANVAS.height]);
      expect(finalKeys).toContain(row.final_key);
      expect(blob.blobs.has(row.raw_key), row.raw_key).toBe(true);
    }
    const titles = await db.query(
      "select title from batch_titles where batch_id = $1 order by prompt_index",
      [created.id],
    );
    expect(titles.rows.map((r: { title: string }) => r.title)).toEqual(first.prompts);
  });

  it("lists the four images in GET /api/images, and serves the batch's downloads from the store", async () => {
    const res = await fetch(`${stack.appUrl}/api/images?batch=${first.id}`);
    expect(res.status).toBe(200);
    const { images } = (await res.json()) as { images: { id: string; url: string; model: string }[] };
    const keys = (urls: (string | null)[]) => urls.map((u) => keyOf(u as string)).sort();
    expect(keys(images.map((i) => i.url))).toEqual(keys(first.results.flat()));
    expect(images.map((i) => i.id).sort()).toEqual(first.cells.map((c) => c.id).sort());

    // Downloads, the contact sheet and the ZIP read the pictures back from the store.
    const cell = cellAt(first, 0, MODELS[0]!);
    const stored = blob.blobs.get(keyOf(cell.imageUrl as string))?.bytes;
    const download = await fetch(`${stack.appUrl}/api/download/${cell.id}`);
    expect(Buffer.from(await expectJpeg(download, "download")).equals(stored as Buffer)).toBe(true);
    const sheet = await fetch(`${stack.appUrl}/api/batches/${first.id}/contact-sheet`);
    expect([sheet.status, sheet.headers.get("content-type")]).toEqual([200, "image/jpeg"]);
    const zip = await fetch(`${stack.appUrl}/api/batches/${first.id}/zip`);
    expect(zip.status).toBe(200);
    expect((await zip.arrayBuffer()).byteLength).toBeGreaterThan(4 * 1000);
  });

  it("fails only the faulted cell; cancel keeps a call that was out; retry and resume re-run only theirs", async () => {
    sim.reset();
    // The held title's answer waits until after the cancel, so its call is surely out then.
    const release = sim.hold((prompt) => prompt.includes("Held at the cancel"));
    let id = "";
    let ownerToken = "";
    try {
      const created = await submitBatch(stack.appUrl, {
        ...BASE_REQUEST,
        prompts: ["Lands before the cancel", "Refused once [sim:moderation*1]", "Held at the cancel"],
        models: [MODELS[0]],
      });
      if (!created.ok) throw new Error(`rejected: ${JSON.stringify(created)}`);
      ({ id, ownerToken } = created);
      await until(async () => {
        const b = await fetchBatch(stack.appUrl, id);
        const [fine, refused, held] = [0, 1, 2].map((i) => cellAt(b, i, MODELS[0]!).status);
        const out = sim.requests.some((r) => r.outcome === "pending");
        return fine === "succeeded" && refused === "failed" && held === "running" && out;
      }, "the first cell to land, the refused one to fail and the held call to be out");
      expect((await post(stack.appUrl, `/api/batches/${id}/cancel`)).status).toBe(403);
      const cancel = await post(stack.appUrl, `/api/batches/${id}/cancel`, undefined, bearer(ownerToken));
      expect(cancel.status).toBe(200);
    } finally {
      release();
    }
    await until(() => sim.requests.every((r) => r.outcome !== "pending"), "the held call to end", 30_000);
    const cancelled = await until(async () => {
      const b = await fetchBatch(stack.appUrl, id);
      return b.status === "cancelled" && b.callsOut === 0 ? b : undefined;
    }, "the cancel to settle with no call out");
    const [fine, refused, held] = [0, 1, 2].map((i) => cellAt(cancelled, i, MODELS[0]!));
    expect(fine?.status).toBe("succeeded");
    expect([refused?.status, refused?.attempts]).toEqual(["failed", 1]);
    expect(refused?.error).toMatch(/safety|moderation|blocked|policy/i);
    expect([held?.status, held?.reusable]).toEqual(["cancelled", true]);
    expect(sim.requests).toHaveLength(3);

    // Retry re-runs the failed cell alone: one new call, its second attempt.
    const retry = await post(stack.appUrl, `/api/batches/${id}/retry`, undefined, bearer(ownerToken));
    expect([retry.status, retry.json.retried]).toEqual([200, 1]);
    const retried = await settled(stack.appUrl, id, 30_000);
    expect(sim.requests).toHaveLength(4);
    expect(sim.requests[3]?.attempt).toBe(2);
    expect(cellAt(retried, 1, MODELS[0]!).status).toBe("succeeded");
    expect(cellAt(retried, 0, MODELS[0]!).finishedAt).toBe(fine?.finishedAt);
    expect(cellAt(retried, 2, MODELS[0]!).status).toBe("cancelled");

    // Resume finishes the cancelled cell from the picture its call paid for: no new call.
    const resume = await post(stack.appUrl, `/api/batches/${id}/resume`, undefined, bearer(ownerToken));
    expect([resume.status, resume.json.resumed]).toEqual([200, 1]);
    const resumed = await settled(stack.appUrl, id, 30_000);
    expect(resumed.status).toBe("succeeded");
    expect(sim.requests).toHaveLength(4);
    for (const url of resumed.results.flat()) {
      await expectJpeg(await fetch(new URL(`/store/${keyOf(url as string)}`, blob.apiUrl)), String(url));
    }
    const rows = await db.query(
      "select status, attempts from cells where batch_id = $1 order by prompt_index",
      [id],
    );
    expect(rows.rows).toEqual([
      { status: "succeeded", attempts: 1 },
      { status: "succeeded", attempts: 2 },
      { status: "succeeded", attempts: 1 },
    ]);
  });

  it("deletes images from Postgres and the store with the ADMIN_TOKEN only", async () => {
    const cell = cellAt(first, 1, MODELS[1]!);
    const key = keyOf(cell.imageUrl as string);
    const remove = (headers: Record<string, string>) =>
      fetch(`${stack.appUrl}/api/images`, {
        method: "DELETE",
        headers: { "content-type": "application/json", ...headers },
        body: JSON.stringify({ ids: [cell.id] }),
      });
    expect((await remove({})).status).toBe(401);
    expect((await remove(bearer("not-the-admin-token"))).status).toBe(403);
    expect(blob.blobs.has(key)).toBe(true);
    expect((await remove(bearer(ADMIN_TOKEN))).status).toBe(200);
    expect(blob.blobs.has(key)).toBe(false);
    const row = await db.query("select status, final_key from cells where id = $1", [cell.id]);
    expect(row.rows.every((r: { final_key: string | null }) => r.final_key !== key)).toBe(true);
  });

  it("wrote no file to the local blob store", () => {
    expect(filesUnder(path.join(stack.dataDir, "blob"))).toEqual([]);
    expect(blob.blobs.size).toBeGreaterThan(0);
  });
});

describe("production mode with a private Vercel Blob store", () => {
  it("serves the pictures through the app's /api/blob route, never from local files", async () => {
    const { stack, blob, db } = await productionStack("prod_private", "private");
    const created = await submitBatch(stack.appUrl, {
      ...BASE_REQUEST,
      prompts: ["Private pictures"],
      models: [MODELS[0]],
    });
    if (!created.ok) throw new Error(`rejected: ${JSON.stringify(created)}`);
    const batch = await followBatch(stack.appUrl, created.id, { unreachableMs: 10_000 });
    expect(batch.status).toBe("succeeded");
    const url = batch.results[0]?.[0] as string;
    expect(url).toMatch(new RegExp(`^/api/blob/final/${created.id}/.+\\.jpg\\?v=`));
    const key = keyOf(url);
    expect(blob.blobs.get(key)?.access).toBe("private");
    // The store itself refuses a browser (no token); the app serves it, with caching headers.
    expect((await fetch(new URL(`/store/${key}`, blob.apiUrl))).status).toBe(403);
    const res = await fetch(new URL(url, stack.appUrl));
    const bytes = await expectJpeg(res, url);
    expect(bytes.equals(blob.blobs.get(key)?.bytes as Buffer)).toBe(true);
    const etag = res.headers.get("etag") as string;
    expect(etag).toBeTruthy();
    const again = await fetch(new URL(url, stack.appUrl), { headers: { "if-none-match": etag } });
    expect(again.status).toBe(304);
    expect((await fetch(new URL("/api/blob/final/nope/missing.jpg", stack.appUrl))).status).toBe(404);
    // Pages show it through Next's image optimizer, which fetches the same route.
    const optimized = await fetch(
      new URL(`/_next/image?url=${encodeURIComponent(url)}&w=256&q=75`, stack.appUrl),
      { headers: { accept: "image/webp,*/*" } },
    );
    expect([optimized.status, optimized.headers.get("content-type")]).toEqual([200, "image/webp"]);
    const page = await fetch(new URL(`/b/${created.id}`, stack.appUrl));
    expect(page.status).toBe(200);
    expect(await page.text()).toContain(encodeURIComponent(url.split("?")[0] as string));
    const rows = await db.query("select final_key from cells where batch_id = $1", [created.id]);
    expect(rows.rows).toEqual([{ final_key: key }]);
    expect(filesUnder(path.join(stack.dataDir, "blob"))).toEqual([]);
  });
});
