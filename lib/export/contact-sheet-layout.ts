/**
 * Geometry of the contact sheet: exactly 1200×630 (the Open Graph size), a header strip, model names
 * over the columns, then rows = titles and columns = models in fixed-aspect boxes at most 320 px wide.
 * When the rows would get shorter than MIN_CELL_HEIGHT, only the first rows are shown and a footer says
 * how many more there are.
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

export interface SheetLayout {
  width: number;
  height: number;
  header: Box;
  /** Row of model names over the columns; null when the columns are too narrow to label. */
  labels: Box | null;
  cellWidth: number;
  cellHeight: number;
  gap: number;
  originX: number;
  originY: number;
  cols: number;
  rowsShown: number;
  /** Rows left out for lack of room. */
  hiddenRows: number;
  footer: Box | null;
}

function fit(rows: number, cols: number, aspect: number, areaW: number, areaH: number, gap: number) {
  let w = Math.min(MAX_CELL_WIDTH, (areaW - (cols - 1) * gap) / cols);
  let h = w / aspect;
  if (rows * h + (rows - 1) * gap > areaH) {
    h = (areaH - (rows - 1) * gap) / rows;
    w = h * aspect;
  }
  return { w: Math.floor(w), h: Math.floor(h) };
}

export function sheetLayout(rows: number, cols: number, aspect: number): SheetLayout {
  if (!(rows >= 1 && cols >= 1 && aspect > 0))
    throw new RangeError("sheetLayout needs rows, cols ≥ 1 and aspect > 0");
  const areaW = SHEET_WIDTH - 2 * PAD;
  const gridTop = PAD + HEADER;
  const areaH = SHEET_HEIGHT - gridTop - PAD;
  const gap = rows * cols > 60 ? 4 : 8;
  const probe = fit(rows, cols, aspect, areaW, areaH - LABELS, gap);
  const labelled = probe.w >= 90;
  const gridH = areaH - (labelled ? LABELS : 0);
  let rowsShown = rows;
  let size = fit(rows, cols, aspect, areaW, gridH, gap);
  if (size.h < MIN_CELL_HEIGHT) {
    rowsShown = Math.max(1, Math.floor((gridH - FOOTER + gap) / (MIN_CELL_HEIGHT + gap)));
    size = fit(rowsShown, cols, aspect, areaW, gridH - FOOTER, gap);
  }
  const totalW = cols * size.w + (cols - 1) * gap;
  const usedH = rowsShown * size.h + (rowsShown - 1) * gap;
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
    rowsShown,
    hiddenRows,
    footer: hiddenRows > 0 ? { x: originX, y: originY + usedH + 6, width: totalW, height: FOOTER - 6 } : null,
  };
}

/** The box of (row, col), or null when that row is not shown. */
export function cellBox(layout: SheetLayout, row: number, col: number): Box | null {
  if (row < 0 || row >= layout.rowsShown || col < 0 || col >= layout.cols) return null;
  return {
    x: layout.originX + col * (layout.cellWidth + layout.gap),
    y: layout.originY + row * (layout.cellHeight + layout.gap),
    width: layout.cellWidth,
    height: layout.cellHeight,
  };
}
