/**
 * Golden images: one per template (plus a mixed-script, a Devanagari, a Thai and a title in eight
 * more shaped scripts) at a small canvas, compared with a small per-pixel tolerance. Regenerate after
 * an intended visual change with
 *   UPDATE_GOLDEN=1 npx vitest run tests/compose/golden.test.ts
 * and look at the PNGs in tests/compose/golden/ before committing them.
 */
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import sharp from "sharp";
import { beforeAll, describe, expect, it } from "vitest";
import type { FontId } from "@/lib/catalog/fonts";
import { TEMPLATE_IDS, type TemplateId } from "@/lib/catalog/templates";
import { composeThumbnail } from "@/lib/compose/compose";
import { samplePhoto } from "@/lib/compose/sample-image";

const GOLDEN_DIR = path.join(import.meta.dirname, "golden");
const UPDATE = process.env.UPDATE_GOLDEN === "1";
const canvas = { width: 600, height: 315 };

const CASES: {
  name: string;
  template: TemplateId;
  font: FontId;
  title: string;
  background: "dark" | "light";
}[] = [
  ...TEMPLATE_IDS.map((template, i) => ({
    name: template,
    template,
    font: (["inter", "oswald", "merriweather", "poppins", "bebas-neue"] as const)[i]!,
    title: "Ten Lessons From a Year of Shipping Side Projects",
    background: i % 2 === 0 ? ("dark" as const) : ("light" as const),
  })),
  {
    name: "mixed-scripts",
    template: "overlay-center",
    font: "inter",
    title: "Café ☕ 東京 مرحبا שלום 한국 🚀",
    background: "dark",
  },
  {
    name: "devanagari",
    template: "bottom-bar",
    font: "inter",
    title: "Top 10 हिंदी गाने: क्षेत्रीय संगीत की दुनिया",
    background: "light",
  },
  {
    name: "thai",
    template: "center-box",
    font: "poppins",
    title: "รีวิว iPhone 17 ใหม่ล่าสุด ที่สุดของปี",
    background: "dark",
  },
  {
    name: "more-scripts",
    template: "overlay-bottom",
    font: "oswald",
    title: "தமிழ் বাংলা ಕನ್ನಡ മലയാളം ශ්‍රී ລາວ ខ្មែរ မြန်မာ",
    background: "light",
  },
  {
    // Arabic with harakat (a fatha over a shadda) and a number, Urdu, pointed Hebrew, Syriac, N'Ko.
    name: "right-to-left",
    template: "bottom-bar",
    font: "inter",
    title: "مُحَمَّدٌ ٢٠٢٦ پاکستان שָׁלוֹם ܫܠܡܐ ߒߞߏ",
    background: "light",
  },
];

let photos: Record<"dark" | "light", Buffer>;
beforeAll(async () => {
  // Noise-free backdrops keep the committed PNGs small.
  photos = {
    dark: await samplePhoto(900, 600, "dark", "jpeg", false),
    light: await samplePhoto(900, 600, "light", "jpeg", false),
  };
});

async function raw(input: Buffer | string) {
  return sharp(input).removeAlpha().raw().toBuffer({ resolveWithObject: true });
}

describe("golden images", () => {
  for (const c of CASES) {
    it(`${c.name} matches tests/compose/golden/${c.name}.png`, async () => {
      const out = await composeThumbnail({
        image: photos[c.background],
        title: c.title,
        template: c.template,
        font: c.font,
        canvas,
        format: "png",
      });
      const file = path.join(GOLDEN_DIR, `${c.name}.png`);
      if (UPDATE || !existsSync(file)) {
        if (!UPDATE) throw new Error(`missing golden ${file}; run with UPDATE_GOLDEN=1 to create it`);
        mkdirSync(GOLDEN_DIR, { recursive: true });
        writeFileSync(file, out.bytes);
        return;
      }
      const [actual, expected] = await Promise.all([raw(out.bytes), raw(file)]);
      expect(actual.info.width).toBe(expected.info.width);
      expect(actual.info.height).toBe(expected.info.height);
      let total = 0;
      let off = 0;
      for (let i = 0; i < actual.data.length; i++) {
        const d = Math.abs(actual.data[i]! - expected.data[i]!);
        total += d;
        if (d > 24) off++;
      }
      expect(total / actual.data.length, "mean channel difference").toBeLessThan(0.5);
      expect(off / actual.data.length, "share of clearly different samples").toBeLessThan(0.002);
    });
  }
});
