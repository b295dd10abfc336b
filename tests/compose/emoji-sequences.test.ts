import { describe, expect, it } from "vitest";
import { FALLBACK_FONTS } from "@/lib/catalog/fonts";
import { fontChain, loadFontFile } from "@/lib/compose/text/font-loader";
import { isEmojiSequence } from "@/lib/compose/text/emoji-sequences";
import { layoutText } from "@/lib/compose/text/layout";
import { boxOptions } from "./layout-options";

const opts = boxOptions(2000, 200, 1, 60);

const emojiFonts = new Set(FALLBACK_FONTS.find((f) => f.id === "noto-emoji")!.files.map(loadFontFile));
const glyphsOf = (title: string) => layoutText(title, "inter", opts).lines.flatMap((l) => l.glyphs);

describe("emoji sequences", () => {
  it.each([
    ["flag of Japan", "🇯🇵"],
    ["flag of the United States", "🇺🇸"],
    ["flag of Scotland (tag sequence)", "🏴󠁧󠁢󠁳󠁣󠁴󠁿"],
    ["rainbow flag", "🏳️‍🌈"],
    ["family (ZWJ)", "👨‍👩‍👧"],
    ["family of four (ZWJ)", "👩‍👩‍👧‍👦"],
    ["woman technologist (ZWJ)", "👩‍💻"],
    ["keycap one", "1️⃣"],
    ["keycap hash, no variation selector", "#⃣"],
  ])("draws the %s as one Noto Emoji glyph of its own", (_, sequence) => {
    const glyphs = glyphsOf(sequence);
    expect(glyphs).toHaveLength(1);
    const [g] = glyphs as [(typeof glyphs)[number]];
    expect(emojiFonts.has(g.font)).toBe(true);
    // A ligature glyph: not the glyph of the sequence's first character.
    const first = fontChain("inter").glyphFor(sequence.codePointAt(0)!);
    expect(g.glyph).not.toBe(first?.glyph);
    const box = g.glyph.getBoundingBox();
    expect(box.x2 - box.x1).toBeGreaterThan(0.5 * g.font.unitsPerEm);
  });

  it("draws the report's title with one glyph per emoji and nothing missing", () => {
    const title = "Flags 🇯🇵🇺🇸 thumbs 👍🏽 family 👨‍👩‍👧 keycap 1️⃣ heart ❤️";
    const layout = layoutText(title, "inter", opts);
    expect(layout.missing).toEqual([]);
    const emoji = layout.lines.flatMap((l) => l.glyphs).filter((g) => emojiFonts.has(g.font));
    expect(emoji).toHaveLength(6); // two flags, thumbs up (monochrome: no tone), family, keycap, heart
  });

  it("draws a sequence the font has no glyph for from its parts, as before", () => {
    const glyphs = glyphsOf("🐈‍🚀");
    expect(glyphs).toHaveLength(2);
    expect(glyphs.every((g) => emojiFonts.has(g.font))).toBe(true);
  });
});

describe("graphemes that are not emoji sequences", () => {
  it("do not parse the emoji fonts: a joiner after a letter, a skin tone alone", () => {
    expect(isEmojiSequence("a\u200d")).toBe(false);
    expect(isEmojiSequence("e\u0301")).toBe(false);
    expect(isEmojiSequence("🏽")).toBe(false);
    expect(isEmojiSequence("🇯🇵")).toBe(true);
    expect(isEmojiSequence("1️⃣")).toBe(true);
  });
});
