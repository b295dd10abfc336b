/**
 * Cyrillic, Greek and Vietnamese titles stay in the chosen face where the family has those letters
 * at its shipped weight, and fall back to Noto Sans where it has not. The tables are written out
 * here (not read from the catalog), from each family's Fontsource subsets checked with opentype.js.
 */
import { describe, expect, it } from "vitest";
import { FONT_IDS, getFont, type FontId } from "@/lib/catalog/fonts";
import { fontChain, loadFontFile } from "@/lib/compose/text/font-loader";
import { layoutText } from "@/lib/compose/text/layout";

const range = (from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => String.fromCodePoint(from + i)).join("");

const SCRIPTS = {
  // Russian, Ukrainian and Belarusian letters.
  cyrillic: {
    letters: range(0x410, 0x44f) + "ЁёЄєІіЇїҐґЎў",
    title: "Как выучить Rust за 30 дней",
    faces: "inter roboto montserrat oswald playfair merriweather lora jetbrains-mono pacifico",
  },
  // Monotonic Greek with tonos and dialytika.
  greek: {
    letters: range(0x391, 0x3a1) + range(0x3a3, 0x3a9) + range(0x3b1, 0x3c9) + "ΆΈΉΊΌΎΏάέήίόύώϊϋΐΰ",
    title: "Ωραία Ελλάδα: οδηγός για αρχάριους",
    faces: "inter roboto jetbrains-mono",
  },
  // Every Vietnamese letter beyond ASCII.
  vietnamese: {
    letters: "ĂăÂâĐđÊêÔôƠơƯư" + range(0x1ea0, 0x1ef9),
    title: "Tiếng Việt: Hướng dẫn cho người mới",
    faces:
      "inter roboto montserrat oswald playfair merriweather lora space-mono jetbrains-mono bangers pacifico",
  },
} as const;

const opts = {
  box: { x: 0, y: 0, width: 1000, height: 300 },
  maxLines: 2,
  maxSize: 60,
  minSize: 20,
  lineHeight: 1.1,
  align: "start" as const,
};

/** Faces whose lowercase letters are capitals. */
const CAPS_ONLY = new Set<FontId>(["bebas-neue", "bangers"]);

const ownFiles = (font: FontId) => new Set(getFont(font).files.map(loadFontFile));

describe("Cyrillic, Greek and Vietnamese subsets of the title faces", () => {
  for (const [script, { letters, title, faces }] of Object.entries(SCRIPTS)) {
    const drawn = new Set<string>(faces.split(" "));

    it(`draws every ${script} letter from the face's own files where it has them, with ink`, () => {
      for (const font of FONT_IDS.filter((f) => drawn.has(f))) {
        const own = ownFiles(font);
        const chain = fontChain(font);
        for (const ch of letters) {
          const hit = chain.glyphFor(ch.codePointAt(0)!);
          expect(hit && own.has(hit.font), `${font} ${ch}`).toBe(true);
          const box = hit!.glyph.getBoundingBox();
          expect(box.x2 > box.x1 && box.y2 > box.y1, `${font} ${ch} has ink`).toBe(true);
        }
      }
    });

    it(`keeps a ${script} title in the chosen face, or wholly in Noto Sans where the face lacks it`, () => {
      for (const font of FONT_IDS) {
        const layout = layoutText(title, font, opts);
        expect(layout.missing, font).toEqual([]);
        const own = ownFiles(font);
        const glyphs = layout.lines.flatMap((l) => l.glyphs);
        const letterGlyphs = glyphs.filter((g) =>
          letters.includes(String.fromCodePoint(g.glyph.unicode ?? 0)),
        );
        expect(letterGlyphs.length, font).toBeGreaterThan(0);
        if (drawn.has(font)) {
          expect(
            glyphs.filter((g) => !own.has(g.font)).map((g) => g.glyph.name),
            `${font}: glyphs from another family`,
          ).toEqual([]);
        } else {
          const families = new Set(letterGlyphs.map((g) => g.font.names.fontFamily?.en));
          expect([...families], font).toEqual(["Noto Sans"]);
          // Caps-only faces get the fallback's capitals; the others its lowercase where the title has it.
          const fallback = letterGlyphs.map((g) => String.fromCodePoint(g.glyph.unicode!));
          const lower = fallback.filter((ch) => ch !== ch.toUpperCase());
          if (CAPS_ONLY.has(font)) expect(lower, font).toEqual([]);
          else expect(lower.length, font).toBeGreaterThan(0);
        }
      }
    });
  }
});
