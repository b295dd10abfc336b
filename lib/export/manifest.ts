/**
 * manifest.json written into every export ZIP: what was asked for and, per cell, what came out. Failed and
 * cancelled cells are listed with their error and `file: null`, so the archive accounts for the whole grid.
 */
import type { BatchRow, CellRow, CellStatus } from "@/lib/db";

export const MANIFEST_NAME = "manifest.json";
export const MANIFEST_VERSION = 1;

export interface ManifestFile {
  /** Name inside the ZIP; null when there is no image (failed, cancelled, unfinished or missing). */
  file: string | null;
  cellId: string;
  batchId: string;
  promptIndex: number;
  prompt: string;
  model: string;
  status: CellStatus;
  /** Absolute URL of the image as served by the app or the blob store; null without an image. */
  url: string | null;
  width: number | null;
  height: number | null;
  attempts: number;
  costUsd: number;
  requestIds: string[];
  finishedAt: string | null;
  error: string | null;
  errorKind: string | null;
  /**
   * A new take of the cell is under way (its status): the file is the picture the cell keeps meanwhile,
   * while attempts, cost and request ids count every call for the cell, the take's so far too.
   */
  newTake: CellStatus | null;
}

export interface BatchManifest {
  manifestVersion: number;
  kind: "batch";
  batchId: string;
  /** Share page of the batch. */
  url: string | null;
  status: string;
  createdAt: string;
  finishedAt: string | null;
  exportedAt: string;
  style: string;
  template: string;
  font: string;
  canvas: string;
  quality: string | null;
  prompts: string[];
  models: string[];
  estimatedCostUsd: number;
  actualCostUsd: number;
  counts: { total: number; files: number; withoutFile: number };
  files: ManifestFile[];
}

export interface SelectionManifest {
  manifestVersion: number;
  kind: "selection";
  exportedAt: string;
  /** Requested ids that name no image (deleted or never existed). */
  notFound: string[];
  counts: { total: number; files: number; withoutFile: number };
  files: ManifestFile[];
}

/** Prefixes relative URLs (local blob route) with the site origin; absolute ones (Vercel Blob) pass. */
export function absoluteUrl(url: string, origin: string | null): string {
  if (/^https?:\/\//i.test(url) || !origin) return url;
  return `${origin.replace(/\/+$/, "")}${url.startsWith("/") ? "" : "/"}${url}`;
}

export function manifestFile(
  cell: CellRow,
  file: string | null,
  imageUrl: string | null,
  missingReason: string | null = null,
  newTake: CellStatus | null = null,
): ManifestFile {
  const succeeded = cell.status === "succeeded";
  return {
    file,
    cellId: cell.id,
    batchId: cell.batchId,
    promptIndex: cell.promptIndex,
    prompt: cell.prompt,
    model: cell.model,
    status: cell.status,
    url: file ? imageUrl : null,
    width: succeeded ? cell.width : null,
    height: succeeded ? cell.height : null,
    attempts: cell.attempts,
    costUsd: Number(cell.costUsd),
    requestIds: cell.requestIds,
    finishedAt: cell.finishedAt ? cell.finishedAt.toISOString() : null,
    error: missingReason ?? (succeeded ? null : (cell.lastError ?? unfinishedReason(cell.status))),
    errorKind: missingReason ? "missing" : succeeded ? null : cell.errorKind,
    newTake,
  };
}

function unfinishedReason(status: CellStatus): string | null {
  if (status === "queued" || status === "running" || status === "retrying") return `not finished (${status})`;
  return null;
}

function counts(files: readonly ManifestFile[]) {
  const withFile = files.filter((f) => f.file !== null).length;
  return { total: files.length, files: withFile, withoutFile: files.length - withFile };
}

export function batchManifest(
  batch: BatchRow,
  files: ManifestFile[],
  shareUrl: string | null,
  exportedAt: Date,
): BatchManifest {
  const input = batch.input;
  return {
    manifestVersion: MANIFEST_VERSION,
    kind: "batch",
    batchId: batch.id,
    url: shareUrl,
    status: batch.status,
    createdAt: batch.createdAt.toISOString(),
    finishedAt: batch.finishedAt ? batch.finishedAt.toISOString() : null,
    exportedAt: exportedAt.toISOString(),
    style: input.style,
    template: input.template,
    font: input.font,
    canvas: input.canvas,
    quality: input.quality ?? null,
    prompts: input.prompts,
    models: input.models,
    estimatedCostUsd: Number(batch.estimatedCostUsd),
    actualCostUsd: Number(batch.actualCostUsd),
    counts: counts(files),
    files,
  };
}

export function selectionManifest(
  files: ManifestFile[],
  notFound: string[],
  exportedAt: Date,
): SelectionManifest {
  return {
    manifestVersion: MANIFEST_VERSION,
    kind: "selection",
    exportedAt: exportedAt.toISOString(),
    notFound,
    counts: counts(files),
    files,
  };
}

export function manifestBytes(manifest: BatchManifest | SelectionManifest): Uint8Array {
  return new TextEncoder().encode(`${JSON.stringify(manifest, null, 2)}\n`);
}
