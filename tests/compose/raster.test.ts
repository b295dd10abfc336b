import { describe, expect, it } from "vitest";
import type { Rgb } from "@/lib/compose/color";
import { extremeColors, luminanceSpread, measureUnder } from "@/lib/compose/measure";
import { fillRoundedRect, paintRows, softScrim, type RgbImage } from "@/lib/compose/raster";

/** Deterministic pseudo-random bytes, so failures reproduce. */
function noise(seed: number) {
  return () => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return (seed >> 8) / 8388608;
  };
}

/** An image whose bytes start at `offset` inside their ArrayBuffer (word alignment varies). */
function image(width: number, height: number, offset: number, rnd: () => number): RgbImage {
  const data = Buffer.from(new ArrayBuffer(width * height * 3 + 8), offset, width * height * 3);
  for (let i = 0; i < data.length; i++) data[i] = Math.floor(rnd() * 256);
  return { data, width, height };
}

function perByte(img: RgbImage, x0: number, x1: number, y: number, color: Rgb, a: number) {
  const ia = 256 - a;
  for (let i = (y * img.width + x0) * 3; i < (y * img.width + x1) * 3; i++) {
    img.data[i] = (img.data[i]! * ia + color[i % 3]! * a) >> 8;
  }
}

describe("raster painting", () => {
  it("blends rows word-wise to exactly the bytes a per-byte blend gives, at any alignment", () => {
    const rnd = noise(7);
    for (let t = 0; t < 400; t++) {
      const width = 1 + Math.floor(rnd() * 50);
      const height = 1 + Math.floor(rnd() * 6);
      const offset = Math.floor(rnd() * 4);
      const img = image(width, height, offset, rnd);
      const expected: RgbImage = { ...img, data: Buffer.from(img.data) };
      const x = Math.floor(rnd() * width);
      const w = Math.floor(rnd() * (width - x + 1));
      const color: Rgb = [rnd() * 256, rnd() * 256, rnd() * 256].map(Math.floor) as unknown as Rgb;
      const alphas = Array.from({ length: height }, () => (rnd() < 0.2 ? 1 : rnd()));
      paintRows(img, { x, y: 0, width: w, height }, color, (y) => alphas[y]!);
      for (let y = 0; y < height; y++) {
        const a = Math.round(alphas[y]! * 256);
        if (a > 0) perByte(expected, x, x + w, y, color, a);
      }
      expect(img.data.equals(expected.data), `case ${t}`).toBe(true);
    }
  });

  it("soft scrims and rounded cards touch only their area and darken towards the centre", () => {
    const img: RgbImage = { data: Buffer.alloc(120 * 80 * 3, 200), width: 120, height: 80 };
    softScrim(img, { x: 40, y: 30, width: 40, height: 20 }, 10, [0, 0, 0], 0.5);
    const at = (x: number, y: number) => img.data[(y * 120 + x) * 3]!;
    expect(at(0, 0)).toBe(200);
    expect(at(60, 40)).toBe(100);
    expect(at(35, 40)).toBeGreaterThan(at(60, 40));
    expect(at(35, 40)).toBeLessThan(200);
    fillRoundedRect(img, { x: 50, y: 35, width: 20, height: 10 }, 3, [255, 255, 255], 1);
    expect(at(60, 40)).toBe(255);
    expect(at(50, 35)).toBeLessThan(255);
  });
});

describe("measuring the photo", () => {
  it("one pass gives the same extremes and spread as the separate scans", () => {
    const rnd = noise(11);
    for (let t = 0; t < 40; t++) {
      const img = image(90, 60, 0, rnd);
      const box = { x: rnd() * 30, y: rnd() * 20, width: 10 + rnd() * 60, height: 5 + rnd() * 40 };
      const fused = measureUnder(img, box);
      expect(fused.brightest).toEqual(extremeColors(img, box, "brightest"));
      expect(fused.darkest).toEqual(extremeColors(img, box, "darkest"));
      expect(fused.spread).toBe(luminanceSpread(img, box));
    }
  });
});
