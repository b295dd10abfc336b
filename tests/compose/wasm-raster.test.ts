import { describe, expect, it } from "vitest";
import { FONT_IDS } from "@/lib/catalog/fonts";
import { TEMPLATE_RENDERERS } from "@/lib/compose/templates";
import { textRegion } from "@/lib/compose/text-raster";
import { rasterizeLayout, rasterizeLayoutJs } from "@/lib/compose/text/rasterize";
import { EdgeRecorder, rasterizeEdges } from "@/lib/compose/wasm/glyph-raster";
import { kernels } from "@/lib/compose/wasm/runtime";

/** Deterministic pseudo-random integers in [0, n), so failures reproduce. */
function noise(seed: number) {
  return (n: number) => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return Math.floor(((seed >> 8) / 8388608) * n);
  };
}

describe("wasm glyph rasterizer", () => {
  it("gives the JS coverage bytes for real titles in every font, regions cut through the glyphs", () => {
    expect(kernels).not.toBeNull();
    const rnd = noise(29);
    const canvas = { width: 1200, height: 630 };
    const titles = ["The Quiet Revolution in Home Espresso", "Why @ 60% & “Quotes”? Ünïcödé Ωmega", "g"];
    for (const font of FONT_IDS) {
      for (const [i, title] of titles.entries()) {
        const template = (["overlay-center", "left-panel", "bottom-bar"] as const)[i]!;
        const plan = TEMPLATE_RENDERERS[template]({ canvas, title, font });
        const region = textRegion(plan.layout, canvas, plan.shadow);
        for (let t = 0; t < 4; t++) {
          // Whole region first, then fractional origins and sizes that clip edges on every side.
          const left = region.left + (t && rnd(200) - 100 + rnd(8) / 8);
          const top = region.top + (t && rnd(60) - 30 + rnd(8) / 8);
          const width = t ? 2 + rnd(region.width) : region.width;
          const height = t ? 1 + rnd(region.height) : region.height;
          const got = rasterizeLayout(plan.layout, left, top, width, height);
          const expected = rasterizeLayoutJs(plan.layout, left, top, width, height);
          expect(got.equals(expected), `${font} "${title}" ${t}`).toBe(true);
        }
      }
    }
  });

  it("declines edges with non-finite coordinates (the JS rasterizer takes them)", () => {
    const edges = new EdgeRecorder();
    edges.line(1, 1, 5, 7);
    expect(rasterizeEdges(edges, 8, 8)).not.toBeNull();
    edges.line(2, 0, Number.NaN, 4);
    expect(rasterizeEdges(edges, 8, 8)).toBeNull();
  });

  it("records edges past its first buffer", () => {
    const edges = new EdgeRecorder();
    for (let i = 0; i < 5000; i++) edges.line(i % 7, 0, (i % 5) + 0.5, 6.25);
    expect(edges.count).toBe(5000);
    const mask = rasterizeEdges(edges, 10, 8)!;
    expect(mask.length).toBe(80);
    expect(mask[0]).toBe(255);
  });
});
