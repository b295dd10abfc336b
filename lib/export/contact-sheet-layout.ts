/**
 * Geometry of the contact sheet: exactly 1200×630 (the Open Graph size), a header strip, model names
 * over the columns, then rows = titles and columns = models in fixed-aspect boxes at most 320 px wide.
 * A long batch wraps into side-by-side blocks of rows (titles 1–10 | 11–20 | …) when that gives bigger
 * cells; when rows would still be shorter than MIN_CELL_HEIGHT, only the first are shown and a footer
 * says how many more there are.
 */
import type { Box } from "@/lib/compose/text/layout";

export const SHEET_WIDTH = 1200;
export const SHEET_HEIGHT = 630;
export const MAX_CELL_WIDTH = 320;
export const MIN_CELL_HEIGHT = 40;

const PAD = 28;
const HEADER = 92;
const LABELS = 26;
const FOOTER = 26;
const BLOCK_GAP = 24;
const MAX_COLUMNS = 12;
const MIN_LABELLED_WIDTH = 90;

export interface SheetLayout {
  width: number;
  height: number;
  header: Box;
  /** Band for the model names over the columns; null when the columns are too narrow to label. */
  labels: Box | null;
  cellWidth: number;
  cellHeight: number;
  gap: number;
  originX: number;
  originY: number;
  cols: number;
  /** Side-by-side blocks of rows, and rows per block. */
  blocks: number;
  rowsPerBlock: number;
  blockGap: number;
  rowsShown: number;
  /** Rows left out for lack of room. */
  hiddenRows: number;
  footer: Box | null;
}

interface Fit {
  w: number;
  h: number;
}

function fit(rows: number, cols: number, aspect: number, areaW: number, areaH: number, gap: number): Fit {
  let w = Math.min(MAX_CELL_WIDTH, (areaW - (cols - 1) * gap) / cols);
  let h = w / aspect;
  if (rows * h + (rows - 1) * gap > areaH) {
    h = (areaH - (rows - 1) * gap) / rows;
    w = h * aspect;
  }
  return { w: Math.floor(w), h: Math.floor(h) };
}

/** Cell size with `blocks` blocks side by side, all rows shown. */
function fitBlocks(
  rows: number,
  cols: number,
  blocks: number,
  aspect: number,
  areaW: number,
  areaH: number,
  gap: number,
) {
  return fit(
    Math.ceil(rows / blocks),
    cols * blocks,
    aspect,
    areaW - (blocks - 1) * (BLOCK_GAP - gap),
    areaH,
    gap,
  );
}

export function sheetLayout(rows: number, cols: number, aspect: number): SheetLayout {
  if (!(rows >= 1 && cols >= 1 && aspect > 0))
    throw new RangeError("sheetLayout needs rows, cols ≥ 1 and aspect > 0");
  const areaW = SHEET_WIDTH - 2 * PAD;
  const gridTop = PAD + HEADER;
  const areaH = SHEET_HEIGHT - gridTop - PAD;
  const gap = rows * cols > 60 ? 4 : 8;
  // More blocks only when they give clearly bigger cells.
  let blocks = 1;
  let size = fitBlocks(rows, cols, 1, aspect, areaW, areaH - LABELS, gap);
  for (let k = 2; k <= rows && k * cols <= MAX_COLUMNS; k++) {
    const candidate = fitBlocks(rows, cols, k, aspect, areaW, areaH - LABELS, gap);
    if (candidate.w > size.w * 1.1) [blocks, size] = [k, candidate];
  }
  const labelled = size.w >= MIN_LABELLED_WIDTH;
  const gridH = areaH - (labelled ? LABELS : 0);
  let rowsPerBlock = Math.ceil(rows / blocks);
  size = fitBlocks(rows, cols, blocks, aspect, areaW, gridH, gap);
  let rowsShown = rows;
  if (size.h < MIN_CELL_HEIGHT) {
    rowsPerBlock = Math.max(1, Math.floor((gridH - FOOTER + gap) / (MIN_CELL_HEIGHT + gap)));
    rowsShown = Math.min(rows, rowsPerBlock * blocks);
    size = fitBlocks(rowsShown, cols, blocks, aspect, areaW, gridH - FOOTER, gap);
  }
  const blockW = cols * size.w + (cols - 1) * gap;
  const totalW = blocks * blockW + (blocks - 1) * BLOCK_GAP;
  const usedRows = Math.min(rowsShown, rowsPerBlock);
  const usedH = usedRows * size.h + (usedRows - 1) * gap;
  const hiddenRows = rows - rowsShown;
  const blockH = usedH + (labelled ? LABELS : 0) + (hiddenRows > 0 ? FOOTER : 0);
  const top = gridTop + Math.floor((areaH - blockH) / 2);
  const originX = Math.floor((SHEET_WIDTH - totalW) / 2);
  const originY = top + (labelled ? LABELS : 0);
  return {
    width: SHEET_WIDTH,
    height: SHEET_HEIGHT,
    header: { x: PAD, y: PAD, width: areaW, height: HEADER - 16 },
    labels: labelled ? { x: originX, y: top, width: totalW, height: LABELS - 6 } : null,
    cellWidth: size.w,
    cellHeight: size.h,
    gap,
    originX,
    originY,
    cols,
    blocks,
    rowsPerBlock,
    blockGap: BLOCK_GAP,
    rowsShown,
    hiddenRows,
    footer: hiddenRows > 0 ? { x: originX, y: originY + usedH + 6, width: totalW, height: FOOTER - 6 } : null,
  };
}

/** The box of (row, col), or null when that row is not shown. */
export function cellBox(layout: SheetLayout, row: number, col: number): Box | null {
  if (row < 0 || row >= layout.rowsShown || col < 0 || col >= layout.cols) return null;
  const block = Math.floor(row / layout.rowsPerBlock);
  const inBlock = row % layout.rowsPerBlock;
  const step = layout.cellWidth + layout.gap;
  const blockStep = layout.cols * step - layout.gap + layout.blockGap;
  return {
    x: layout.originX + block * blockStep + col * step,
    y: layout.originY + inBlock * (layout.cellHeight + layout.gap),
    width: layout.cellWidth,
    height: layout.cellHeight,
  };
}
