import { align16, heap, kernels, reserve, SCRATCH } from "./runtime";

/** Edge storage shared by the recorders: one is filled and consumed per synchronous section. */
let shared = new Float64Array(16384);

/** Collects the flattened outline edges (ax, ay, bx, by) for the wasm rasterizer (glyphs.c). */
export class EdgeRecorder {
  edges = shared;
  count = 0;
  line(ax: number, ay: number, bx: number, by: number): void {
    if (ay === by) return; // adds no area (the rasterizer skips these too)
    if (4 * this.count + 4 > this.edges.length) {
      shared = new Float64Array(this.edges.length * 2);
      shared.set(this.edges);
      this.edges = shared;
    }
    const at = 4 * this.count++;
    this.edges[at] = ax;
    this.edges[at + 1] = ay;
    this.edges[at + 2] = bx;
    this.edges[at + 3] = by;
  }
}

/**
 * The coverage mask of the recorded edges, as text/rasterize.ts's Accumulator makes it (its own
 * synchronous section); null when an edge has a non-finite coordinate.
 */
export function rasterizeEdges(recorder: EdgeRecorder, width: number, height: number): Buffer | null {
  const edgesAt = SCRATCH;
  const accAt = align16(edgesAt + 32 * recorder.count);
  const fromAt = align16(accAt + 4 * width * height);
  const toAt = align16(fromAt + 4 * height);
  const outAt = align16(toAt + 4 * height);
  reserve(outAt + width * height - SCRATCH);
  const mem = heap();
  new Float64Array(mem.buffer, edgesAt, 4 * recorder.count).set(
    recorder.edges.subarray(0, 4 * recorder.count),
  );
  mem.fill(0, accAt, fromAt);
  if (kernels!.raster_glyphs(edgesAt, recorder.count, accAt, fromAt, toAt, width, height, outAt) !== 0)
    return null;
  return Buffer.from(mem.subarray(outAt, outAt + width * height));
}
