import type { TextStyle } from "../templates/types";
import type { RgbImage } from "../raster";
import type { TextMasks } from "../text-raster";
import { align16, heap, kernels, packRgb, wasmOffset } from "./runtime";

/** Shadow rows are read 16 bytes at a time: the last one may run this far past the mask. */
const SHADOW_SLACK = 16;

/** Scratch bytes blendTextStaged needs after a staged image (pass to withStagedImage). */
export function textScratchBytes(masks: TextMasks): number {
  const shadow = masks.shadow ? masks.shadow.data.length : 0;
  return align16(masks.glyphs.length) + align16(shadow + SHADOW_SLACK) + 4 * masks.spans.length;
}

/** blendText on an image staged in wasm memory: the masks are copied in after it. */
export function blendTextStaged(img: RgbImage, masks: TextMasks, style: TextStyle): void {
  const at = wasmOffset(img.data);
  const shadow = style.shadow && masks.shadow ? masks.shadow : null;
  const glyphsAt = align16(at + img.data.length);
  const shadowAt = glyphsAt + align16(masks.glyphs.length);
  const spansAt = shadowAt + align16((shadow ? shadow.data.length : 0) + SHADOW_SLACK);
  const mem = heap();
  if (at < 0 || spansAt + 4 * masks.spans.length > mem.length) {
    throw new Error("blendTextStaged: the image is not staged with textScratchBytes(masks) to spare");
  }
  mem.set(masks.glyphs, glyphsAt);
  if (shadow) mem.set(shadow.data, shadowAt);
  new Int32Array(mem.buffer, spansAt, masks.spans.length).set(masks.spans);
  kernels!.blend_text(
    at,
    img.width,
    img.height,
    glyphsAt,
    shadow ? shadowAt : 0,
    shadow ? shadow.width : 0,
    spansAt,
    masks.left,
    masks.top,
    masks.width,
    masks.height,
    masks.shadowDy,
    Math.round((style.shadow?.opacity ?? 0) * 256),
    packRgb(style.shadow?.color ?? [0, 0, 0]),
    packRgb(style.color),
  );
}
