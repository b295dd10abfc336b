/**
 * Renders a batch as one 1200×630 JPEG: a header with the batch summary, model names over the columns,
 * one row per title. Finished cells show their thumbnail (cover-cropped into the box); others are
 * neutral placeholders labelled with their state. Everything is painted into one raw RGB buffer and
 * encoded once.
 */
import sharp from "sharp";
import type { CellStatus } from "@/lib/db/schema";
import type { Rgb } from "@/lib/compose/color";
import { fillRect, type RgbImage } from "@/lib/compose/raster";
import { prepareShaping } from "@/lib/compose/text/complex-shaping";
import { cellBox, sheetLayout, type SheetLayout } from "./contact-sheet-layout";
import { drawText } from "./sheet-text";

export interface SheetCell {
  promptIndex: number;
  /** Column = position of the model in SheetInput.models. */
  model: string;
  status: CellStatus;
  /** The finished image's bytes; only called for succeeded cells. */
  load?: () => Promise<Uint8Array | null>;
}

export interface SheetInput {
  title: string;
  subtitle: string;
  rows: number;
  models: readonly { id: string; label: string }[];
  /** Width / height of the thumbnails' canvas. */
  aspect: number;
  cells: readonly SheetCell[];
  quality?: number;
}

export interface RenderedSheet {
  jpeg: Buffer;
  layout: SheetLayout;
  /** Cells drawn from their image (the rest are placeholders or not shown). */
  drawn: number;
}

export const BACKGROUND: Rgb = [9, 9, 11];
export const PLACEHOLDER: Rgb = [39, 39, 42];
export const FAILED_PLACEHOLDER: Rgb = [28, 28, 31];
const TEXT: Rgb = [244, 244, 245];
const MUTED: Rgb = [161, 161, 170];
const FAINT: Rgb = [113, 113, 122];
const LOADS_AT_ONCE = 4;

const PLACEHOLDER_LABEL: Record<CellStatus, string> = {
  queued: "pending",
  running: "generating",
  retrying: "retrying",
  succeeded: "missing",
  failed: "failed",
  cancelled: "cancelled",
};

async function thumbnail(bytes: Uint8Array, width: number, height: number): Promise<Buffer | null> {
  try {
    return await sharp(bytes, { failOn: "none" })
      .resize(width, height, { fit: "cover", position: "attention" })
      .removeAlpha()
      .toColourspace("srgb")
      .raw()
      .toBuffer();
  } catch {
    return null;
  }
}

function blit(img: RgbImage, pixels: Buffer, x: number, y: number, w: number, h: number): void {
  for (let row = 0; row < h && y + row < img.height; row++) {
    pixels.copy(img.data, ((y + row) * img.width + x) * 3, row * w * 3, (row + 1) * w * 3);
  }
}

async function forEachLimited<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>) {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await fn(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

export async function renderContactSheet(input: SheetInput): Promise<RenderedSheet> {
  await prepareShaping(`${input.title} ${input.subtitle}`);
  const cols = Math.max(1, input.models.length);
  const layout = sheetLayout(Math.max(1, input.rows), cols, input.aspect);
  const img: RgbImage = {
    data: Buffer.alloc(layout.width * layout.height * 3),
    width: layout.width,
    height: layout.height,
  };
  fillRect(img, { x: 0, y: 0, width: img.width, height: img.height }, BACKGROUND, 1);
  const { header } = layout;
  drawText(img, { text: input.title, box: { ...header, height: 44 }, size: 38, color: TEXT });
  drawText(img, {
    text: input.subtitle,
    box: { ...header, y: header.y + 50, height: 26 },
    size: 22,
    color: MUTED,
  });
  if (layout.labels) {
    const band = layout.labels;
    for (let block = 0; block < layout.blocks; block++) {
      input.models.forEach((model, col) => {
        const box = cellBox(layout, block * layout.rowsPerBlock, col);
        if (!box) return;
        const where = { x: box.x, y: band.y, width: box.width, height: band.height };
        drawText(img, { text: model.label, box: where, size: 16, color: MUTED, align: "center" });
      });
    }
  }
  const column = new Map(input.models.map((m, i) => [m.id, i]));
  const visible = input.cells.flatMap((cell) => {
    const col = column.get(cell.model);
    const box = col === undefined ? null : cellBox(layout, cell.promptIndex, col);
    return box ? [{ cell, box }] : [];
  });
  let drawn = 0;
  const placeholders: typeof visible = [];
  await forEachLimited(visible, LOADS_AT_ONCE, async (item) => {
    const { cell, box } = item;
    const bytes = cell.status === "succeeded" && cell.load ? await cell.load().catch(() => null) : null;
    const pixels = bytes ? await thumbnail(bytes, box.width, box.height) : null;
    if (pixels) {
      blit(img, pixels, box.x, box.y, box.width, box.height);
      drawn++;
    } else placeholders.push(item);
  });
  const present = new Set(visible.map((v) => `${v.cell.promptIndex}/${v.cell.model}`));
  // Grid positions with no cell (e.g. deleted from the gallery) are shown as missing.
  for (let row = 0; row < Math.min(layout.rowsShown, input.rows); row++) {
    input.models.forEach((model, col) => {
      if (present.has(`${row}/${model.id}`)) return;
      const cell: SheetCell = { promptIndex: row, model: model.id, status: "succeeded" };
      placeholders.push({ cell, box: cellBox(layout, row, col)! });
    });
  }
  for (const { cell, box } of placeholders) {
    const failed = cell.status === "failed" || cell.status === "cancelled";
    fillRect(img, box, failed ? FAILED_PLACEHOLDER : PLACEHOLDER, 1);
    if (box.width >= 70 && box.height >= 24) {
      const size = Math.min(16, Math.floor(box.height / 3));
      drawText(img, { text: PLACEHOLDER_LABEL[cell.status], box, size, color: FAINT, align: "center" });
    }
  }
  if (layout.footer) {
    const more = `+ ${layout.hiddenRows} more ${layout.hiddenRows === 1 ? "title" : "titles"}`;
    drawText(img, { text: more, box: layout.footer, size: 16, color: MUTED, align: "center" });
  }
  const jpeg = await sharp(img.data, { raw: { width: img.width, height: img.height, channels: 3 } })
    .jpeg({ quality: input.quality ?? 82, mozjpeg: true })
    .toBuffer();
  return { jpeg, layout, drawn };
}
