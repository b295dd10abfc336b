import { describe, expect, it } from "vitest";
import type { Rgb } from "@/lib/compose/color";
import { extremeColors, luminanceSpread } from "@/lib/compose/measure";
import { extremeColorsUnderLayer, measureUnderLayer } from "@/lib/compose/measure-layer";
import type { RgbImage } from "@/lib/compose/raster";
import type { Box } from "@/lib/compose/text/layout";
import { kernels } from "@/lib/compose/wasm/runtime";
import { withStagedImage } from "@/lib/compose/wasm/stage";

/** Deterministic pseudo-random integers in [0, n), so failures reproduce. */
function noise(seed: number) {
  return (n: number) => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return Math.floor(((seed >> 8) / 8388608) * n);
  };
}

/** A photo-like image: smooth ramps with noise, and some flat runs where keys tie. */
function photo(width: number, height: number, rnd: (n: number) => number): RgbImage {
  const data = Buffer.alloc(width * height * 3);
  const flat = rnd(3) === 0;
  for (let i = 0; i < data.length; i++) data[i] = flat ? 40 * rnd(3) : (i * 7 + rnd(60)) & 255;
  return { data, width, height };
}

/** Boxes inside, across and outside the edges, with fractional corners. */
function box(img: RgbImage, rnd: (n: number) => number): Box {
  return {
    x: rnd(img.width + 10) - 5 + rnd(4) / 4,
    y: rnd(img.height + 10) - 5 + rnd(4) / 4,
    width: rnd(img.width + 10),
    height: rnd(img.height + 10),
  };
}

/** `measure` on the image as it is (JS scans) and staged in wasm memory (wasm scans). */
function both<T>(img: RgbImage, measure: (img: RgbImage) => T): [T, T] {
  const js = measure(img);
  const wasm = withStagedImage(img, 0, (staged) => {
    expect(staged.data.buffer).toBe(kernels!.memory.buffer);
    return measure(staged);
  });
  return [wasm, js];
}

const layerOf = (rnd: (n: number) => number): Rgb => [rnd(256), rnd(256), rnd(256)];

describe("wasm photo scans", () => {
  it("find the same extreme colours and luminance spread as the JS scans", () => {
    const rnd = noise(17);
    for (let t = 0; t < 200; t++) {
      const img = photo(1 + rnd(80), 1 + rnd(50), rnd);
      const b = box(img, rnd);
      const mode = rnd(2) === 0 ? "brightest" : "darkest";
      const count = [1, 16, 64, 65][rnd(4)]!;
      const step = 1 + rnd(4);
      const [wasm, js] = both(img, (i) => [
        extremeColors(i, b, mode, count, step),
        luminanceSpread(i, b, step),
      ]);
      expect(wasm, `case ${t}`).toEqual(js);
    }
  });

  it("predict the same colours under a layer as the JS scans, one alpha or one per row", () => {
    const rnd = noise(23);
    for (let t = 0; t < 200; t++) {
      const img = photo(1 + rnd(80), 1 + rnd(50), rnd);
      const b = box(img, rnd);
      const layer = layerOf(rnd);
      const a = [0, 1, 128, 256][rnd(5)] ?? rnd(257);
      const mode = rnd(2) === 0 ? "brightest" : "darkest";
      const uniform = rnd(3) === 0;
      const perRow = Array.from({ length: img.height }, () => (uniform || rnd(3) === 0 ? a : rnd(257)));
      // Either order: the C keeps its last layer table between calls.
      const flip = rnd(2) === 0;
      const [wasm, js] = both(img, (i) => {
        const under = flip ? measureUnderLayer(i, b, layer, (y) => perRow[y]!) : null;
        const layered = extremeColorsUnderLayer(i, b, mode, 16, layer, a);
        return [layered, under ?? measureUnderLayer(i, b, layer, (y) => perRow[y]!)];
      });
      expect(wasm, `case ${t}`).toEqual(js);
    }
  });
});
