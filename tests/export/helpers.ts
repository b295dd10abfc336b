/** A real database (PGlite in memory) and a real local blob store in a temp folder, for export tests. */
import { takeKeyTag } from "@/lib/batches/owner";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import sharp from "sharp";
import {
  completeCell,
  createBatch,
  createDb,
  failCell,
  finishBatchIfDone,
  recordAttemptResult,
  recordAttemptStart,
  type CellRow,
  type Db,
  type DbHandle,
} from "@/lib/db";
import { createLocalStore, finalImageKey, type BlobStore } from "@/lib/storage";

export interface ExportEnv {
  handle: DbHandle;
  db: Db;
  store: BlobStore;
  blobDir: string;
  close(): Promise<void>;
}

export async function openExportEnv(): Promise<ExportEnv> {
  const saved = process.env.BLOB_DIR;
  const blobDir = mkdtempSync(path.join(os.tmpdir(), "export-blob-"));
  // urlFor (lib/batches/service) resolves URLs through the env-configured store: point it at ours.
  process.env.BLOB_DIR = blobDir;
  delete process.env.BLOB_READ_WRITE_TOKEN;
  const handle = await createDb({ dir: "memory" });
  return {
    handle,
    db: handle.db,
    store: createLocalStore({ dir: blobDir }),
    blobDir,
    async close() {
      await handle.close();
      rmSync(blobDir, { recursive: true, force: true });
      if (saved === undefined) delete process.env.BLOB_DIR;
      else process.env.BLOB_DIR = saved;
    },
  };
}

export type Colour = readonly [number, number, number];

export function solidJpeg(colour: Colour, width = 1200, height = 630): Promise<Buffer> {
  const [r, g, b] = colour;
  return sharp({ create: { width, height, channels: 3, background: { r, g, b } } })
    .jpeg({ quality: 90 })
    .toBuffer();
}

/** A photo-like (incompressible) JPEG of a few hundred KB, like real thumbnails. */
export function noisyJpeg(width = 1200, height = 630): Promise<Buffer> {
  return sharp({
    create: {
      width,
      height,
      channels: 3,
      background: "#808080",
      noise: { type: "gaussian", mean: 128, sigma: 40 },
    },
  })
    .jpeg({ quality: 90 })
    .toBuffer();
}

/** A batch whose ids never start with "-" or "_" (final keys need a letter or digit first). */
export async function makeBatch(db: Db, prompts: string[], models: string[], canvas = "blog") {
  const input = { prompts, models, style: "neon", template: "bottom-bar", font: "inter", canvas };
  for (;;) {
    const created = await createBatch(db, { input, estimatedCostUsd: 0.01 * prompts.length * models.length });
    if (/^[A-Za-z0-9]/.test(created.batch.id)) return created;
  }
}

/** Runs a cell (or its new take) to success with a stored JPEG of one colour under its real final key. */
export async function succeedWith(env: ExportEnv, cell: CellRow, colour: Colour | Buffer): Promise<CellRow> {
  const bytes = Buffer.isBuffer(colour) ? colour : await solidJpeg(colour);
  const finalKey = finalImageKey({
    batchId: cell.batchId,
    promptIndex: cell.promptIndex,
    modelId: cell.model,
    take: cell.take,
    ...(cell.take > 0 ? { tag: takeKeyTag(cell.batchId, cell.promptIndex, cell.model, cell.take) } : {}),
  });
  await env.store.put(finalKey, bytes, { contentType: "image/jpeg" });
  await recordAttemptStart(env.db, cell.id, { attempt: 0 });
  await recordAttemptResult(env.db, cell.id, {
    attempt: 0,
    outcome: "ok",
    requestId: `req-${cell.id}`,
    costUsd: 0.04,
  });
  const done = await completeCell(env.db, cell.id, {
    finalKey,
    width: 1200,
    height: 630,
    bytes: bytes.length,
  });
  await finishBatchIfDone(env.db, cell.batchId);
  if (!done.cell) throw new Error("cell vanished");
  return done.cell;
}

export async function failWith(env: ExportEnv, cell: CellRow, error: string): Promise<CellRow> {
  await recordAttemptStart(env.db, cell.id, { attempt: 0 });
  await recordAttemptResult(env.db, cell.id, {
    attempt: 0,
    outcome: "failed",
    error,
    errorKind: "moderation",
    requestId: `req-${cell.id}`,
  });
  const done = await failCell(env.db, cell.id, { error, errorKind: "moderation" });
  await finishBatchIfDone(env.db, cell.batchId);
  if (!done.cell) throw new Error("cell vanished");
  return done.cell;
}

export async function readAll(stream: ReadableStream<Uint8Array>): Promise<Uint8Array> {
  return new Uint8Array(await new Response(stream).arrayBuffer());
}
