/** Output canvas sizes, declared once; ids, option lists and validation derive from this list. */
export interface CanvasSize {
  width: number;
  height: number;
}

export interface CanvasDef extends CanvasSize {
  id: string;
  label: string;
  description: string;
}

export const CANVASES = [
  {
    id: "blog",
    label: "Blog / Open Graph",
    description: "1200×630, the Open Graph card size used by blogs and social previews",
    width: 1200,
    height: 630,
  },
  {
    id: "youtube",
    label: "YouTube",
    description: "1280×720, the YouTube thumbnail size (16:9)",
    width: 1280,
    height: 720,
  },
  {
    id: "square",
    label: "Square",
    description: "1080×1080, for feeds that crop to a square",
    width: 1080,
    height: 1080,
  },
] as const satisfies readonly CanvasDef[];

export type CanvasId = (typeof CANVASES)[number]["id"];

export const CANVAS_IDS = CANVASES.map((c) => c.id) as [CanvasId, ...CanvasId[]];

export const DEFAULT_CANVAS_ID: CanvasId = "blog";

export function isCanvasId(value: string): value is CanvasId {
  return (CANVAS_IDS as readonly string[]).includes(value);
}

export function getCanvas(id: CanvasId): CanvasDef {
  const canvas = CANVASES.find((c) => c.id === id);
  if (!canvas) throw new Error(`unknown canvas "${id}"`);
  return canvas;
}

/** A canvas's label for people; the id itself for anything the catalog no longer lists. */
export function canvasLabel(id: string): string {
  return CANVASES.find((c) => c.id === id)?.label ?? id;
}

/** A size one of the canvases has ("1280x720", "1280×720"), as its id; any other value as given. */
export function canvasIdFor(value: string): string {
  const size = value.trim().match(/^(\d+)\s*[x×]\s*(\d+)$/i);
  if (!size) return value;
  const found = CANVASES.find((c) => c.width === Number(size[1]) && c.height === Number(size[2]));
  return found?.id ?? value;
}
