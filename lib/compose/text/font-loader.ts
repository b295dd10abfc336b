import { readFileSync } from "node:fs";
import path from "node:path";
import opentype, { type Font, type Glyph } from "opentype.js";
import { FALLBACK_FONTS, getFont, type FontId } from "@/lib/catalog/fonts";

/** public/fonts, resolved from the working directory (repo root for Next, scripts and tests). */
export function fontsRoot(): string {
  return process.env.THUMB_FONTS_DIR?.trim() || path.join(process.cwd(), "public", "fonts");
}

const parsed = new Map<string, Font>();

/** The bytes of a font file under public/fonts. */
export function readFontFile(relPath: string): Buffer {
  // Not traced by the bundler (that would pull the whole project into the server bundle): next.config's
  // outputFileTracingIncludes ships public/fonts with the server code.
  const file = path.join(/*turbopackIgnore: true*/ fontsRoot(), relPath);
  try {
    return readFileSync(/*turbopackIgnore: true*/ file);
  } catch {
    throw new Error(`font file missing: ${file}`);
  }
}

/** Parses a font file once per process. */
export function loadFontFile(relPath: string): Font {
  const hit = parsed.get(relPath);
  if (hit) return hit;
  const bytes = readFontFile(relPath);
  // lowMemory: glyph outlines are read when first asked for. Droid Sans Fallback parses in ~75 ms
  // with ~11 MB of heap instead of ~560 ms and ~90 MB; the outlines drawn are the same.
  const font = opentype.parse(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength), {
    lowMemory: true,
  });
  parsed.set(relPath, font);
  return font;
}

export interface GlyphHit {
  font: Font;
  glyph: Glyph;
}

/** Vertical metrics of the title face in em units, used to place baselines. */
export interface FaceMetrics {
  capHeight: number;
  descent: number;
}

/**
 * A title font followed by the shared fallback fonts. Files are parsed lazily, only when a
 * character is missing from every earlier file, so Latin titles never pay for CJK or emoji.
 */
export class FontChain {
  private readonly lookups = new Map<number, GlyphHit | null>();
  private faceMetrics: FaceMetrics | null = null;

  /**
   * `capsOnly`: how many of `files` are a caps-only title face's own; a lowercase letter none of
   * them has is drawn as its capital (FontDef.caps).
   */
  constructor(
    readonly files: readonly string[],
    private readonly capsOnly = 0,
  ) {}

  get primary(): Font {
    return loadFontFile(this.files[0]!);
  }

  glyphFor(codePoint: number): GlyphHit | null {
    const cached = this.lookups.get(codePoint);
    if (cached !== undefined) return cached;
    let hit = this.search(codePoint);
    if (
      this.capsOnly > 0 &&
      hit &&
      !this.files.slice(0, this.capsOnly).some((f) => loadFontFile(f) === hit!.font)
    ) {
      const upper = [...String.fromCodePoint(codePoint).toUpperCase()];
      const capital = upper.length === 1 ? upper[0]!.codePointAt(0)! : codePoint;
      if (capital !== codePoint) hit = this.search(capital) ?? hit;
    }
    this.lookups.set(codePoint, hit);
    return hit;
  }

  private search(codePoint: number): GlyphHit | null {
    const char = String.fromCodePoint(codePoint);
    for (const file of this.files) {
      const font = loadFontFile(file);
      const index = font.charToGlyphIndex(char);
      if (index > 0) return { font, glyph: font.glyphs.get(index) };
    }
    return null;
  }

  metrics(): FaceMetrics {
    if (this.faceMetrics) return this.faceMetrics;
    const font = this.primary;
    const em = font.unitsPerEm;
    const os2 = (font.tables as { os2?: { sCapHeight?: number } }).os2;
    const capFromGlyph = font.charToGlyph("H").getBoundingBox().y2;
    const capHeight = (os2?.sCapHeight && os2.sCapHeight > 0 ? os2.sCapHeight : capFromGlyph) / em;
    const depths = ["g", "p", "y"].map((c) => -font.charToGlyph(c).getBoundingBox().y1 / em);
    const descent = Math.min(0.35, Math.max(0.12, ...depths.filter((d) => Number.isFinite(d))));
    this.faceMetrics = { capHeight: capHeight > 0.3 ? capHeight : 0.7, descent };
    return this.faceMetrics;
  }
}

const chains = new Map<FontId, FontChain>();

export function fontChain(fontId: FontId): FontChain {
  let chain = chains.get(fontId);
  if (!chain) {
    const face = getFont(fontId);
    chain = new FontChain(
      [...face.files, ...FALLBACK_FONTS.flatMap((f) => f.files)],
      face.caps ? face.files.length : 0,
    );
    chains.set(fontId, chain);
  }
  return chain;
}
