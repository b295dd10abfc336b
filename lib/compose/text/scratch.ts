/**
 * Scratch float buffers reused across calls (rasterizing is synchronous, so calls never overlap):
 * a large title's accumulator is about a megabyte, and allocating one per image kept the garbage
 * collector busy for no benefit.
 */
const scratch: Float32Array[] = [];
export function scratchFloats(slot: number, length: number): Float32Array {
  let buf = scratch[slot];
  if (!buf || buf.length < length) {
    buf = new Float32Array(Math.ceil(length * 1.25));
    scratch[slot] = buf;
  }
  return buf;
}
