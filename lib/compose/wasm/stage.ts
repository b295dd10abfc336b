import type { RgbImage } from "../raster";
import { align16, kernels, reserve, SCRATCH } from "./runtime";

/**
 * Runs `fn` on a copy of the photo in wasm memory, where the blends run as wasm kernels, then
 * copies the pixels back (about 0.1 ms each way for 1200×630). `extra` bytes after the copy are
 * reserved for the section's own scratch (see textScratchBytes). `fn` must be synchronous and
 * must not reserve more: a grow would detach the staged view. Without wasm, `fn` gets `img`.
 */
export function withStagedImage<T>(img: RgbImage, extra: number, fn: (staged: RgbImage) => T): T {
  if (!kernels) return fn(img);
  const length = img.data.length;
  reserve(align16(length) + extra);
  const staged = Buffer.from(kernels.memory.buffer, SCRATCH, length);
  staged.set(img.data);
  const result = fn({ ...img, data: staged });
  // A grow inside the section (a kernel that reserved) detached the view: fail loudly.
  if (staged.length !== length) throw new Error("withStagedImage: wasm memory grew during the section");
  img.data.set(staged);
  return result;
}
