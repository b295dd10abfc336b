/**
 * The contact sheet of a batch, rendered once per content version and kept in blob storage under
 * sheets/b-<batchId>/<version>.jpg. The version hashes what decides the drawing (titles count, models,
 * summary, and each cell's status and picture), so link-preview crawlers hitting the same batch cost one
 * storage read, and a finished batch's sheet never changes unless a cell is retried, taken again or
 * deleted. A cell working on a new take is drawn with the picture it keeps (asShown), so the version
 * stays put until the take brings a new picture. The share page computes it from the same cell states.
 */
import { createHash } from "node:crypto";
import { DEFAULT_CANVAS_ID, getCanvas, isCanvasId } from "@/lib/catalog/canvases";
import { modelLabel } from "@/lib/catalog/models";
import { styleLabel } from "@/lib/catalog/styles";
import { templateLabel } from "@/lib/catalog/templates";
import {
  asShown,
  getBatch,
  getDb,
  TERMINAL_BATCH_STATUSES,
  type BatchRow,
  type CellRow,
  type CellStatus,
  type Db,
} from "@/lib/db";
import { toCellDto, type CellDto } from "@/lib/batches/dto";
import { urlFor } from "@/lib/batches/blob-url";
import { getStorage, IMMUTABLE_MAX_AGE, type BlobStore } from "@/lib/storage";
import { renderContactSheet, type SheetInput } from "./contact-sheet";
import { BATCH_ID } from "./zip";

/** Bump when the drawing changes, so cached sheets are redrawn (2: style and template by their labels). */
const RENDER_VERSION = 2;

export interface VersionInput {
  prompts: readonly string[];
  models: readonly string[];
  style: string;
  template: string;
  font: string;
  canvas: string;
  /** As the batch's JSON has them: a cell working on a new take has the picture it keeps as previousUrl. */
  cells: readonly Pick<CellDto, "id" | "status" | "imageUrl" | "previousUrl">[];
}

/** Works on the batch DTO (pages) and on rows turned into it (routes) alike. */
export function contactSheetVersion(batch: VersionInput): string {
  const cells = batch.cells.map((c) =>
    c.previousUrl === null ? [c.id, c.status, c.imageUrl] : [c.id, "succeeded", c.previousUrl],
  );
  const { prompts, models, style, template, font, canvas } = batch;
  const material = [RENDER_VERSION, prompts.length, models, style, template, font, canvas, cells];
  return createHash("sha256").update(JSON.stringify(material)).digest("hex").slice(0, 20);
}

export function contactSheetPrefix(batchId: string): string {
  return `sheets/b-${batchId}/`;
}

export function contactSheetKey(batchId: string, version: string): string {
  return `${contactSheetPrefix(batchId)}${version}.jpg`;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

export function sheetInput(batch: BatchRow, rows: readonly CellRow[], store: BlobStore): SheetInput {
  const input = batch.input;
  // A cell working on a new take is drawn (and counted) with the picture it shows meanwhile.
  const cells = rows.map(asShown);
  // Columns follow the cells (a substituted model has cells under its own id), in the asked-for order.
  const models = [
    ...new Set([
      ...input.models.filter((m) => cells.some((c) => c.model === m)),
      ...cells.map((c) => c.model),
    ]),
  ];
  const canvas = getCanvas(isCanvasId(input.canvas) ? input.canvas : DEFAULT_CANVAS_ID);
  const count = (s: CellStatus) => cells.filter((c) => c.status === s).length;
  const done = count("succeeded");
  const parts = [
    styleLabel(input.style),
    templateLabel(input.template),
    canvas.label,
    `${done} of ${plural(cells.length, "image")} ready`,
  ];
  if (count("failed") > 0) parts.push(`${count("failed")} failed`);
  return {
    title: `${plural(input.prompts.length, "title")} × ${plural(models.length, "model")}`,
    subtitle: parts.join("  ·  "),
    rows: input.prompts.length,
    models: models.map((id) => ({ id, label: modelLabel(id) })),
    aspect: canvas.width / canvas.height,
    cells: cells.map((cell) => ({
      promptIndex: cell.promptIndex,
      model: cell.model,
      status: cell.status,
      load: cell.finalKey ? async () => (await store.get(cell.finalKey!))?.bytes ?? null : undefined,
    })),
  };
}

export interface SheetState {
  batch: BatchRow;
  cells: CellRow[];
  version: string;
  etag: string;
  /** True once the batch is finished: the sheet only changes again on retry or deletion. */
  final: boolean;
}

/** What the current sheet of a batch is (no rendering); null for an unknown batch. */
export async function contactSheetState(batchId: string, db?: Db): Promise<SheetState | null> {
  if (!BATCH_ID.test(batchId)) return null;
  const found = await getBatch(db ?? (await getDb()), batchId);
  if (!found) return null;
  const { batch, cells } = found;
  const version = contactSheetVersion({ ...batch.input, cells: cells.map((c) => toCellDto(c, urlFor)) });
  const final = (TERMINAL_BATCH_STATUSES as readonly string[]).includes(batch.status);
  return { batch, cells, version, etag: `"sheet-${version}"`, final };
}

const rendering = new Map<string, Promise<Buffer>>();

async function renderAndStore(key: string, state: SheetState, store: BlobStore): Promise<Buffer> {
  const { jpeg } = await renderContactSheet(sheetInput(state.batch, state.cells, store));
  await store.put(key, jpeg, { contentType: "image/jpeg", cacheControlMaxAge: IMMUTABLE_MAX_AGE });
  // Older versions of this batch's sheet are no longer linked from anywhere current.
  const prefix = `sheets/b-${state.batch.id}/`;
  const stale = (await store.list(prefix)).map((b) => b.key).filter((k) => k !== key);
  if (stale.length > 0) await store.delete(stale).catch(() => undefined);
  return jpeg;
}

/** The JPEG for `state`: from blob storage when this version was drawn before, else drawn and stored. */
export async function contactSheetBytes(state: SheetState, store: BlobStore = getStorage()): Promise<Buffer> {
  const key = contactSheetKey(state.batch.id, state.version);
  const cached = await store.get(key);
  if (cached) return cached.bytes;
  // Concurrent requests for the same version (a burst of crawlers) share one render.
  let pending = rendering.get(key);
  if (!pending) {
    pending = renderAndStore(key, state, store).finally(() => rendering.delete(key));
    rendering.set(key, pending);
  }
  return pending;
}
