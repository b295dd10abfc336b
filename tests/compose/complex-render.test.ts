/** Complex-script titles through the whole compositor: drawn where the layout puts them, nothing missing. */
import sharp from "sharp";
import { beforeAll, describe, expect, it } from "vitest";
import type { TemplateId } from "@/lib/catalog/templates";
import { composeThumbnail } from "@/lib/compose/compose";
import { TEMPLATE_RENDERERS } from "@/lib/compose/templates";
import { rasterizeLayout } from "@/lib/compose/text/rasterize";
import { renderContactSheet } from "@/lib/export/contact-sheet";
import { MORE_SCRIPT_TITLES } from "./complex-titles";

const canvas = { width: 1200, height: 630 };
const TITLES = {
  hindi: "भारत के सबसे खूबसूरत पर्यटन स्थल: क्षेत्रीय यात्रा गाइड",
  thai: "เที่ยวเชียงใหม่ที่สุดในปีนี้ ห้ามพลาด",
};
const TEMPLATES: TemplateId[] = ["bottom-bar", "overlay-center", "left-panel"];
const CASES: [string, string, TemplateId][] = [
  ...Object.entries(TITLES).flatMap(([script, title]) =>
    TEMPLATES.map((t): [string, string, TemplateId] => [script, title, t]),
  ),
  // The other scripts share the mechanism: two templates each keep the suite short.
  ...Object.entries(MORE_SCRIPT_TITLES).flatMap(([script, title], i) =>
    [TEMPLATES[i % 3]!, TEMPLATES[(i + 1) % 3]!].map((t): [string, string, TemplateId] => [script, title, t]),
  ),
];

let flat: Buffer;
beforeAll(async () => {
  flat = await sharp({
    create: { width: 1200, height: 630, channels: 3, background: { r: 38, g: 64, b: 104 } },
  })
    .png()
    .toBuffer();
});

const lum = (d: Buffer, i: number) => 0.2126 * d[i]! + 0.7152 * d[i + 1]! + 0.0722 * d[i + 2]!;

describe("composeThumbnail with complex-script titles", () => {
  for (const [script, title, template] of CASES) {
    it(`${script} on ${template}: glyph pixels carry the title colour, no missing glyphs`, async () => {
      const out = await composeThumbnail({
        image: flat,
        title,
        template,
        font: "inter",
        canvas,
        format: "png",
      });
      expect(out.meta.missingGlyphs).toEqual([]);
      expect(out.meta.lines).toBeGreaterThan(0);

      const { layout } = TEMPLATE_RENDERERS[template]({ canvas, title, font: "inter" });
      const mask = rasterizeLayout(layout, 0, 0, canvas.width, canvas.height);
      const { data } = await sharp(out.bytes).removeAlpha().raw().toBuffer({ resolveWithObject: true });
      const ink = layout.ink;
      let inside = 0,
        insideSum = 0,
        outside = 0,
        outsideSum = 0;
      for (let y = Math.floor(ink.y); y < Math.ceil(ink.y + ink.height); y++) {
        for (let x = Math.floor(ink.x); x < Math.ceil(ink.x + ink.width); x++) {
          const p = y * canvas.width + x;
          if (mask[p] === 255) {
            inside++;
            insideSum += lum(data, p * 3);
          } else if (mask[p] === 0) {
            outside++;
            outsideSum += lum(data, p * 3);
          }
        }
      }
      // Glyphs cover a real share of their ink box, and those pixels stand out from the rest of it.
      expect(inside / (ink.width * ink.height)).toBeGreaterThan(0.1);
      expect(Math.abs(insideSum / inside - outsideSum / outside)).toBeGreaterThan(80);
      // The layout's ink is the drawn ink: no glyph pixel lies outside it.
      const drawn = { x1: Infinity, y1: Infinity, x2: -Infinity, y2: -Infinity };
      for (let p = 0; p < mask.length; p++) {
        if (mask[p] === 0) continue;
        const x = p % canvas.width,
          y = Math.floor(p / canvas.width);
        drawn.x1 = Math.min(drawn.x1, x);
        drawn.x2 = Math.max(drawn.x2, x);
        drawn.y1 = Math.min(drawn.y1, y);
        drawn.y2 = Math.max(drawn.y2, y);
      }
      expect(drawn.x1).toBeGreaterThanOrEqual(Math.floor(ink.x) - 1);
      expect(drawn.y1).toBeGreaterThanOrEqual(Math.floor(ink.y) - 1);
      expect(drawn.x2).toBeLessThanOrEqual(Math.ceil(ink.x + ink.width) + 1);
      expect(drawn.y2).toBeLessThanOrEqual(Math.ceil(ink.y + ink.height) + 1);
    });
  }

  it("mixes the title font and the script's font on one baseline", () => {
    for (const title of ["Top 10 हिंदी गाने 2026", "รีวิว iPhone 17 ใหม่ล่าสุด", "Top 10 ಕನ್ನಡ ಹಾಡುಗಳು 2026"]) {
      const { layout } = TEMPLATE_RENDERERS["bottom-bar"]({ canvas, title, font: "inter" });
      expect(layout.lines).toHaveLength(1);
      const line = layout.lines[0]!;
      expect(new Set(line.glyphs.map((g) => g.font)).size).toBe(2);
      // Base glyphs sit on the line's baseline; only marks the shaper moves may leave it.
      const onBaseline = line.glyphs.filter((g) => Math.abs(g.baseline - line.baseline) < 0.01);
      expect(onBaseline.length).toBeGreaterThan(line.glyphs.length / 2);
      for (let i = 1; i < line.glyphs.length; i++) expect(line.glyphs[i]!.x).toBeGreaterThan(line.x - 1);
    }
  });

  it("draws a Hindi batch title on the contact sheet", async () => {
    const sheet = await renderContactSheet({
      title: "हिंदी गाने: सबसे लोकप्रिय",
      subtitle: "2 titles × 1 model",
      rows: 2,
      models: [{ id: "local-preview", label: "Local preview" }],
      aspect: 1200 / 630,
      cells: [],
    });
    expect((await sharp(sheet.jpeg).metadata()).format).toBe("jpeg");
  });
});
