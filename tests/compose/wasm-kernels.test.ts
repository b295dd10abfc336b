import { createHash } from "node:crypto";
import { describe, expect, it, vi } from "vitest";
import type { Rgb } from "@/lib/compose/color";
import { blendSpan, wordsOf } from "@/lib/compose/blend-span";
import { softScrim, type RgbImage } from "@/lib/compose/raster";
import { blendText } from "@/lib/compose/text-blend";
import { inkSpans, type TextMasks } from "@/lib/compose/text-raster";
import { blurMask, blurMaskJs } from "@/lib/compose/text/blur";
import { textScratchBytes } from "@/lib/compose/wasm/blend-text";
import { inkSpansWasm } from "@/lib/compose/wasm/ink-spans";
import { KERNELS_SHA256, KERNELS_WASM } from "@/lib/compose/wasm/kernels-wasm";
import { kernels, reserve, SCRATCH } from "@/lib/compose/wasm/runtime";
import { withStagedImage } from "@/lib/compose/wasm/stage";

/** Deterministic pseudo-random integers in [0, n), so failures reproduce. */
function noise(seed: number) {
  return (n: number) => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return Math.floor(((seed >> 8) / 8388608) * n);
  };
}

/** Coverage-like bytes: runs of 0 and of 255 (up to 40 long) with partial values between, as masks have. */
function mask(length: number, rnd: (n: number) => number): Buffer {
  const out = Buffer.alloc(length);
  for (let i = 0; i < length;) {
    const kind = rnd(4);
    const run = kind < 2 ? 1 + rnd(40) : 1 + rnd(3);
    for (const end = Math.min(length, i + run); i < end; i++)
      out[i] = kind === 0 ? 0 : kind === 1 ? 255 : rnd(256);
  }
  return out;
}

const rgb = (rnd: (n: number) => number): Rgb => [rnd(256), rnd(256), rnd(256)];

describe("wasm kernels", () => {
  it("load in this runtime (else the comparisons below would compare JS with itself)", () => {
    expect(kernels).not.toBeNull();
  });

  it("embed the bytes whose hash the build script recorded", () => {
    const hash = createHash("sha256").update(Buffer.from(KERNELS_WASM, "base64")).digest("hex");
    expect(hash).toBe(KERNELS_SHA256);
  });

  it("blend spans to the JS bytes at any offset, length, phase and alpha", () => {
    const rnd = noise(11);
    reserve(4096);
    for (let t = 0; t < 600; t++) {
      const length = 1 + rnd(400);
      const offset = rnd(8);
      const bytes = Buffer.from(kernels!.memory.buffer, SCRATCH + offset, length);
      for (let i = 0; i < length; i++) bytes[i] = rnd(256);
      const expected = Buffer.from(bytes);
      const start = rnd(length);
      const end = start + rnd(length - start + 1);
      const a = [1, 255, 256, 128][rnd(5)] ?? 1 + rnd(256);
      const color = rgb(rnd);
      blendSpan(wordsOf(bytes), start, end, color, a);
      blendSpan(wordsOf(expected), start, end, color, a);
      expect(bytes.equals(expected), `case ${t}`).toBe(true);
    }
  });

  it("blend titles with and without a shadow to the JS bytes, masks clipped at the image edges", () => {
    const rnd = noise(5);
    for (let t = 0; t < 300; t++) {
      const width = 1 + rnd(90);
      const height = 1 + rnd(40);
      const w = 1 + rnd(70);
      const h = 1 + rnd(30);
      const sw = Math.ceil(w / 2);
      const sh = Math.ceil(h / 2);
      const spans = new Int32Array(2 * h);
      for (let y = 0; y < h; y++) {
        const from = rnd(3) === 0 ? 0 : rnd(w + 1);
        spans[2 * y] = from;
        spans[2 * y + 1] = rnd(3) === 0 ? w : from + rnd(w - from + 1);
      }
      const masks: TextMasks = {
        glyphs: mask(w * h, rnd),
        shadow: rnd(5) === 0 ? null : { data: mask(sw * sh, rnd), width: sw, height: sh },
        shadowDy: rnd(4),
        spans,
        left: rnd(width),
        top: rnd(height),
        width: w,
        height: h,
      };
      const opacity = [0, 1, 0.55, 0.7][rnd(4)]!;
      const style =
        rnd(4) === 0 ? { color: rgb(rnd) } : { color: rgb(rnd), shadow: { color: rgb(rnd), opacity } };
      const img: RgbImage = { data: mask(width * height * 3, rnd), width, height };
      const expected: RgbImage = { ...img, data: Buffer.from(img.data) };
      blendText(expected, masks, style);
      withStagedImage(img, textScratchBytes(masks), (staged) => {
        expect(staged.data.buffer).toBe(kernels!.memory.buffer);
        blendText(staged, masks, style);
      });
      expect(img.data.equals(expected.data), `case ${t}`).toBe(true);
    }
  });

  it("refuse to blend a staged title without its scratch reserved", () => {
    const masks: TextMasks = {
      glyphs: Buffer.alloc(1 << 20),
      shadow: null,
      shadowDy: 0,
      spans: new Int32Array(2),
      left: 0,
      top: 0,
      width: 1 << 20,
      height: 1,
    };
    // An image at the very end of wasm memory: no room after it for the megabyte of glyphs.
    const end = kernels!.memory.buffer.byteLength;
    const img: RgbImage = { data: Buffer.from(kernels!.memory.buffer, end - 30, 30), width: 10, height: 1 };
    expect(() => blendText(img, masks, { color: [1, 2, 3] })).toThrow(/not staged/);
  });

  it("paint soft scrims to the JS bytes, with and without a hole, clipped at the edges", () => {
    const rnd = noise(9);
    for (let t = 0; t < 200; t++) {
      const width = 1 + rnd(90);
      const height = 1 + rnd(60);
      const box = () => ({
        x: rnd(width + 20) - 10 + rnd(3) / 2,
        y: rnd(height + 20) - 10,
        width: rnd(60),
        height: rnd(40) + rnd(2) / 2,
      });
      const inner = box();
      // Holes as center-box makes them (the card over its own shadow), or anywhere.
      const near = (v: number) => v + rnd(9) - 4 + rnd(2) / 2;
      const card = {
        x: near(inner.x),
        y: near(inner.y),
        width: inner.width - rnd(12),
        height: near(inner.height),
      };
      const hole = [card, box(), undefined][rnd(3)];
      const feather = [0.2, 1, 30][rnd(4)] ?? 1 + rnd(200) / 7;
      const alpha = [1, 0.35, 0.004][rnd(3)]!;
      const color = rgb(rnd);
      const img: RgbImage = { data: mask(width * height * 3, rnd), width, height };
      const expected: RgbImage = { ...img, data: Buffer.from(img.data) };
      softScrim(expected, inner, feather, color, alpha, hole);
      withStagedImage(img, 0, (staged) => softScrim(staged, inner, feather, color, alpha, hole));
      expect(img.data.equals(expected.data), `case ${t}`).toBe(true);
    }
  });

  it("find the same ink spans per row as the JS, empty rows and edges included", () => {
    const rnd = noise(13);
    for (let t = 0; t < 200; t++) {
      const w = 1 + rnd(100);
      const h = 1 + rnd(30);
      const glyphs = Buffer.alloc(w * h);
      for (let y = 0; y < h; y++) {
        if (rnd(3) === 0) continue;
        const from = rnd(w);
        glyphs.set(mask(rnd(w - from + 1), rnd), y * w + from);
      }
      const sw = Math.ceil(w / 2);
      const data = Buffer.alloc(sw * Math.ceil(h / 2));
      for (let i = 0; i < data.length; i++) data[i] = rnd(4) === 0 ? 1 + rnd(255) : 0;
      const shadow = rnd(3) === 0 ? null : { data, width: sw, height: Math.ceil(h / 2) };
      const dy = rnd(4);
      const got = inkSpansWasm(glyphs, w, h, shadow, dy);
      expect(got, `case ${t}`).toEqual(inkSpans({ width: w, height: h }, glyphs, shadow, dy));
    }
  });

  it("refuse to copy back a staged image whose memory grew during the section", () => {
    const img: RgbImage = { data: Buffer.alloc(300), width: 10, height: 10 };
    expect(() =>
      withStagedImage(img, 0, () => reserve(kernels!.memory.buffer.byteLength + (1 << 16))),
    ).toThrow(/grew during the section/);
  });

  it("blur shadows to the JS bytes for odd and tiny masks and radii wider than the mask", () => {
    const rnd = noise(3);
    for (let t = 0; t < 150; t++) {
      const width = 1 + rnd(t < 20 ? 4 : 120);
      const height = 1 + rnd(t < 20 ? 4 : 60);
      const sparse = rnd(2) === 0;
      const m = sparse ? Buffer.alloc(width * height) : mask(width * height, rnd);
      if (sparse) for (let i = 0; i < m.length; i += 1 + rnd(40)) m[i] = 255;
      const sigma = 1 + rnd(40);
      const r = Math.max(1, Math.round((sigma / 2) * 1.2));
      const got = blurMask(m, width, height, sigma);
      const expected = blurMaskJs(m, width, height, r);
      expect([got.width, got.height]).toEqual([expected.width, expected.height]);
      expect(Buffer.from(got.data).equals(Buffer.from(expected.data)), `case ${t}`).toBe(true);
    }
  });

  it("are skipped with COMPOSE_WASM=off: the JS kernels paint the image in place", async () => {
    vi.resetModules();
    vi.stubEnv("COMPOSE_WASM", "off");
    try {
      const runtime = await import("@/lib/compose/wasm/runtime");
      const stage = await import("@/lib/compose/wasm/stage");
      expect(runtime.kernels).toBeNull();
      const img: RgbImage = { data: Buffer.alloc(12), width: 2, height: 2 };
      stage.withStagedImage(img, 0, (staged) => expect(staged).toBe(img));
    } finally {
      vi.unstubAllEnvs();
      vi.resetModules();
    }
  });
});
