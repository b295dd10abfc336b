/**
 * The compositor's WebAssembly SIMD kernels (C in this folder, bytes embedded by
 * scripts/build-wasm.sh), instantiated once per process. `kernels` is null where WebAssembly is
 * unavailable (node --jitless) or COMPOSE_WASM=off: callers then run their JS versions, which
 * give the same bytes.
 *
 * Memory from __heap_base on is one scratch area for whichever synchronous section runs: the
 * compositor's sections never overlap, so nothing is ever freed. Growing the memory detaches
 * every view of it, so a section reserves all it needs before making any view.
 */
import { KERNELS_WASM } from "./kernels-wasm";

interface Exports {
  memory: WebAssembly.Memory;
  __heap_base: WebAssembly.Global;
  blend_span(p: number, n: number, ch: number, r: number, g: number, b: number, a: number): void;
  blend_text(
    img: number,
    width: number,
    height: number,
    glyphs: number,
    shadow: number,
    shadowW: number,
    spans: number,
    left: number,
    top: number,
    w: number,
    h: number,
    shadowDy: number,
    k: number,
    shadowColor: number,
    color: number,
  ): void;
  blur_mask(
    mask: number,
    width: number,
    height: number,
    r: number,
    a: number,
    b: number,
    sums: number,
    out: number,
  ): void;
  /** The scans of measure.ts and measure-layer.ts: see measure-scans.ts. */
  lum_table(): number;
  row_alphas(): number;
  top(k: number): number;
  spread_sums(): number;
  scan_extremes(...args: number[]): void;
  scan_spread(...args: number[]): void;
  scan_layered(...args: number[]): void;
  scan_both_layered(...args: number[]): void;
  /** raster.ts's softScrim: see soft-scrim.ts. */
  scrim_lut(): number;
  soft_scrim(...args: number[]): void;
  raster_glyphs(
    edges: number,
    n: number,
    acc: number,
    rowFrom: number,
    rowTo: number,
    width: number,
    height: number,
    out: number,
  ): number;
  ink_spans(
    glyphs: number,
    w: number,
    h: number,
    shadow: number,
    shadowW: number,
    shadowDy: number,
    spans: number,
  ): void;
}

function load(): Exports | null {
  if (process.env.COMPOSE_WASM === "off" || typeof WebAssembly !== "object") return null;
  try {
    const compiled = new WebAssembly.Module(Buffer.from(KERNELS_WASM, "base64"));
    return new WebAssembly.Instance(compiled, {}).exports as unknown as Exports;
  } catch {
    // A runtime without SIMD128 rejects the module; the JS kernels serve instead.
    return null;
  }
}

export const kernels = load();

const PAGE = 65536;

/** Start of the scratch area, 16-byte aligned. */
export const SCRATCH = kernels ? (Number(kernels.__heap_base.value) + 15) & ~15 : 0;

/** Makes [SCRATCH, SCRATCH + bytes) addressable; call before making views for the section. */
export function reserve(bytes: number): void {
  const memory = kernels!.memory;
  const missing = SCRATCH + bytes - memory.buffer.byteLength;
  if (missing > 0) memory.grow(Math.ceil(missing / PAGE));
}

/** A fresh view of the whole memory (views made before a grow are detached). */
export function heap(): Uint8Array {
  return new Uint8Array(kernels!.memory.buffer);
}

/** Where `bytes` start in wasm memory, or -1 when they live elsewhere. */
export function wasmOffset(bytes: Uint8Array): number {
  return kernels !== null && bytes.buffer === kernels.memory.buffer ? bytes.byteOffset : -1;
}

export const align16 = (n: number) => (n + 15) & ~15;

/** Colour channels packed r | g << 8 | b << 16, as the C takes them. */
export const packRgb = (c: readonly number[]) => c[0]! | (c[1]! << 8) | (c[2]! << 16);
