/** Blending a colour at one alpha into a run of packed RGB bytes, two channels per multiply. */
import type { Rgb } from "./color";
import { kernels, wasmOffset } from "./wasm/runtime";

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/**
 * The image bytes as plain Uint8Array and as aligned 32-bit words (`start` is the byte where
 * word 0 begins). Plain views keep the loops monomorphic: Buffers made by sharp and by Node can
 * have different maps, and a map V8 had not seen sent optimized code back to the interpreter.
 * `wasmAt` is where the bytes start in wasm memory (staged, see wasm/stage.ts), else -1.
 */
export function wordsOf(data: Buffer) {
  const start = (4 - (data.byteOffset & 3)) & 3;
  const count = Math.max(0, (data.length - start) >> 2);
  return {
    start,
    u8: new Uint8Array(data.buffer, data.byteOffset, data.length),
    u32: new Uint32Array(data.buffer, data.byteOffset + start, count),
    wasmAt: wasmOffset(data),
  };
}

/**
 * Blends `color` at alpha a/256 (a in 1..256) into bytes [start, end) of a row, whole pixels.
 * Aligned words are blended two channels per multiply: the 16-bit lanes hold v·(256−a) + c·a,
 * at most 255·256, so they never carry into each other and every byte comes out exactly as
 * (v·(256−a) + c·a) >> 8 would. Large scrims and panels cover half the canvas, so this matters.
 */
export function blendSpan(
  words: ReturnType<typeof wordsOf>,
  start: number,
  end: number,
  color: Rgb,
  a: number,
): void {
  if (words.wasmAt >= 0) {
    // Staged bytes: the SIMD kernel, same bytes (~8× faster on a full-width scrim).
    kernels!.blend_span(words.wasmAt + start, end - start, start % 3, color[0], color[1], color[2], a);
    return;
  }
  const ia = 256 - a;
  const c0 = color[0] * a;
  const c1 = color[1] * a;
  const c2 = color[2] * a;
  const head = LITTLE_ENDIAN ? Math.min(end, start + ((4 - ((start - words.start) & 3)) & 3)) : end;
  blendBytes(words.u8, start, head, ia, c0, c1, c2);
  let i = head;
  const n = (end - i) >> 2;
  if (n > 0) {
    // Byte k of a word starting at byte i holds channel (i + k) % 3; consecutive words advance
    // the phase by one, so three (lo, hi) lane-constant pairs repeat.
    const c = [c0, c1, c2];
    const p = i % 3;
    const q = (p + 1) % 3;
    const r = (p + 2) % 3;
    const loA = c[p]! | (c[r]! << 16) | 0;
    const hiA = c[q]! | (c[p]! << 16) | 0;
    const loB = c[q]! | (c[p]! << 16) | 0;
    const hiB = c[r]! | (c[q]! << 16) | 0;
    const loC = c[r]! | (c[q]! << 16) | 0;
    const hiC = c[p]! | (c[r]! << 16) | 0;
    const u32 = words.u32;
    let w = (i - words.start) >> 2;
    const wEnd = w + n;
    let v = 0;
    for (; w + 3 <= wEnd; w += 3) {
      v = u32[w]!;
      u32[w] =
        ((((Math.imul(v & 0xff00ff, ia) + loA) | 0) >>> 8) & 0xff00ff) |
        ((Math.imul((v >>> 8) & 0xff00ff, ia) + hiA) & 0xff00ff00);
      v = u32[w + 1]!;
      u32[w + 1] =
        ((((Math.imul(v & 0xff00ff, ia) + loB) | 0) >>> 8) & 0xff00ff) |
        ((Math.imul((v >>> 8) & 0xff00ff, ia) + hiB) & 0xff00ff00);
      v = u32[w + 2]!;
      u32[w + 2] =
        ((((Math.imul(v & 0xff00ff, ia) + loC) | 0) >>> 8) & 0xff00ff) |
        ((Math.imul((v >>> 8) & 0xff00ff, ia) + hiC) & 0xff00ff00);
    }
    // At most two words left: phases A then B.
    for (let k = 0; w < wEnd; w++, k++) {
      const lo = k === 0 ? loA : loB;
      const hi = k === 0 ? hiA : hiB;
      v = u32[w]!;
      u32[w] =
        ((((Math.imul(v & 0xff00ff, ia) + lo) | 0) >>> 8) & 0xff00ff) |
        ((Math.imul((v >>> 8) & 0xff00ff, ia) + hi) & 0xff00ff00);
    }
    i += n * 4;
  }
  blendBytes(words.u8, i, end, ia, c0, c1, c2);
}

/**
 * V8 compiles the word loop while it runs on the first large panel, whose rows are usually
 * aligned: the byte loops and the leftover-word loop have then never run, and every later row
 * that needs them deoptimized (hundreds of times per bench run, each falling back to the
 * interpreter for the rest of the row). Running every path once on a tiny image at load gives
 * them type feedback first.
 */
function warmUp(): void {
  // Larger than 64 bytes: V8 keeps smaller typed arrays on its heap, with another map.
  const bytes = Buffer.alloc(100);
  for (let offset = 0; offset < 4; offset++) {
    const words = wordsOf(bytes.subarray(offset, offset + 96));
    for (let start = 0; start < 24; start += 3) blendSpan(words, start, 96 - start, [1, 2, 3], 128);
  }
}

function blendBytes(
  data: Uint8Array,
  i: number,
  end: number,
  ia: number,
  c0: number,
  c1: number,
  c2: number,
) {
  for (; i < end; i++) {
    const ch = i % 3;
    data[i] = (data[i]! * ia + (ch === 0 ? c0 : ch === 1 ? c1 : c2)) >> 8;
  }
}

warmUp();
