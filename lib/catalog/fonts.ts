/**
 * Title fonts shipped as files under public/fonts, declared once. File paths are relative to
 * public/fonts. Each family ships the Fontsource subsets (WOFF: opentype.js 1.3.4 cannot read WOFF2)
 * it has glyphs in for its one heavy weight suited to titles, with its licence file beside them:
 * latin and latin-ext, and the Cyrillic, Greek and Vietnamese ones where the face draws them, so a
 * Russian or Vietnamese title stays in the chosen face instead of switching to Noto Sans mid-word.
 */
export const FONT_CATEGORIES = ["display", "sans", "serif", "mono", "script"] as const;
export type FontCategory = (typeof FONT_CATEGORIES)[number];

export type FontLicence = "OFL-1.1" | "Apache-2.0";

export interface FontDef {
  id: string;
  label: string;
  category: FontCategory;
  /** The weight shipped (one per family: titles are set in one heavy cut). */
  weight: number;
  /** Files in lookup order: a glyph missing from the first is looked up in the next. */
  files: readonly string[];
  licence: FontLicence;
  licenceFile: string;
  /**
   * A caps-only face (its lowercase letters are capitals): a lowercase letter it lacks is drawn as
   * the fallback's capital, so a fallback letter does not show lowercase among capitals.
   */
  caps?: true;
}

/** Fontsource subset names; a family lists those that hold glyphs at its weight (checked by tests). */
type Subset = "latin" | "latin-ext" | "cyrillic" | "cyrillic-ext" | "greek" | "greek-ext" | "vietnamese";

const LATIN: readonly Subset[] = ["latin", "latin-ext"];
const CYRILLIC: readonly Subset[] = ["cyrillic", "cyrillic-ext"];
const GREEK: readonly Subset[] = ["greek", "greek-ext"];
const VIETNAMESE: readonly Subset[] = ["vietnamese"];

function family<const Id extends string>(
  id: Id,
  label: string,
  category: FontCategory,
  weight: number,
  subsets: readonly Subset[] = LATIN,
  licence: FontLicence = "OFL-1.1",
) {
  return {
    id,
    label,
    category,
    weight,
    files: subsets.map((s) => `${id}/${id}-${s}-${weight}.woff`),
    licence,
    licenceFile: `${id}/LICENSE.txt`,
  };
}

export const FONTS = [
  family("inter", "Inter", "sans", 800, [...LATIN, ...VIETNAMESE, ...CYRILLIC, ...GREEK]),
  // Roboto's greek-ext holds one polytonic letter: a title half in Roboto, half in Noto Sans reads worse.
  family("roboto", "Roboto", "sans", 900, [...LATIN, ...VIETNAMESE, ...CYRILLIC, "greek"]),
  family("poppins", "Poppins", "sans", 800),
  family("montserrat", "Montserrat", "sans", 800, [...LATIN, ...VIETNAMESE, ...CYRILLIC]),
  family("oswald", "Oswald", "display", 700, [...LATIN, ...VIETNAMESE, ...CYRILLIC]),
  { ...family("bebas-neue", "Bebas Neue", "display", 400), caps: true },
  family("playfair", "Playfair Display", "serif", 800, [...LATIN, ...VIETNAMESE, "cyrillic"]),
  family("merriweather", "Merriweather", "serif", 900, [...LATIN, ...VIETNAMESE, ...CYRILLIC]),
  family("lora", "Lora", "serif", 700, [...LATIN, ...VIETNAMESE, ...CYRILLIC]),
  family("space-mono", "Space Mono", "mono", 700, [...LATIN, ...VIETNAMESE]),
  // cyrillic-ext has only Ө ө Ү ү here (enough for Mongolian); Kazakh's other letters come from Noto Sans.
  family("jetbrains-mono", "JetBrains Mono", "mono", 800, [...LATIN, ...VIETNAMESE, ...CYRILLIC, "greek"]),
  { ...family("bangers", "Bangers", "display", 400, [...LATIN, ...VIETNAMESE]), caps: true },
  family("pacifico", "Pacifico", "script", 400, [...LATIN, ...VIETNAMESE, ...CYRILLIC]),
  family("permanent-marker", "Permanent Marker", "script", 400, ["latin"], "Apache-2.0"),
  family("righteous", "Righteous", "display", 400),
] as const satisfies readonly FontDef[];

export type FontId = (typeof FONTS)[number]["id"];

export const FONT_IDS = FONTS.map((f) => f.id) as [FontId, ...FontId[]];

export const DEFAULT_FONT_ID: FontId = "inter";

/**
 * Fonts consulted, in order, for characters the title font lacks: scripts no title face covers
 * (Arabic, Hebrew, Thaana, Syriac, N'Ko, Adlam, Hanifi Rohingya, Armenian, Georgian, Ethiopic, Cherokee, Canadian
 * syllabics, Tifinagh, Ol Chiki, Vai, the Indic, South-East Asian and Tibetan scripts, Meetei Mayek, Chinese,
 * Japanese, Korean) and monochrome outline emoji (colour
 * bitmap emoji cannot become paths). Parsed lazily, so a Latin title never loads them. Runs of the right-to-left,
 * Indic and South-East Asian scripts are shaped by HarfBuzz in their font (lib/compose/text/complex-scripts.ts
 * lists them).
 */
export interface FallbackFontDef {
  id: string;
  covers: string;
  files: readonly string[];
  licence: FontLicence;
  licenceFile: string;
}

const emojiFiles = ["emoji", ...Array.from({ length: 11 }, (_, i) => String(i))].map(
  (s) => `fallback/noto-emoji-${s}-700.woff`,
);

/** One Noto Sans script font (script subset, 700 unless Noto has no bold), shaped with HarfBuzz. */
function shapedScript<const Id extends string>(id: Id, covers: string, weight: 400 | 700 = 700) {
  return {
    id: `noto-sans-${id}`,
    covers: `${covers} (shaped with HarfBuzz)`,
    files: [`fallback/noto-sans-${id}-${weight}.woff`],
    licence: "OFL-1.1",
    licenceFile: `fallback/noto-sans-${id}.LICENSE.txt`,
  } as const;
}

export const FALLBACK_FONTS = [
  {
    id: "noto-sans",
    covers: "Latin extended, Greek, Cyrillic, Vietnamese (where the title face has no such subset)",
    files: ["latin", "latin-ext", "greek", "greek-ext", "cyrillic", "cyrillic-ext", "vietnamese"].map(
      (s) => `fallback/noto-sans-${s}-700.woff`,
    ),
    licence: "OFL-1.1",
    licenceFile: "fallback/noto-sans.LICENSE.txt",
  },
  {
    id: "noto-sans-armenian",
    covers: "Armenian",
    files: ["fallback/noto-sans-armenian-700.woff"],
    licence: "OFL-1.1",
    licenceFile: "fallback/noto-sans-armenian.LICENSE.txt",
  },
  {
    id: "noto-sans-georgian",
    covers: "Georgian (Mkhedruli, Mtavruli, Asomtavruli, Nuskhuri)",
    files: ["fallback/noto-sans-georgian-700.woff"],
    licence: "OFL-1.1",
    licenceFile: "fallback/noto-sans-georgian.LICENSE.txt",
  },
  {
    id: "noto-sans-ethiopic",
    covers: "Ethiopic: Amharic, Tigrinya, Ge'ez",
    files: ["fallback/noto-sans-ethiopic-700.woff"],
    licence: "OFL-1.1",
    licenceFile: "fallback/noto-sans-ethiopic.LICENSE.txt",
  },
  {
    id: "noto-sans-cherokee",
    covers: "Cherokee",
    files: ["fallback/noto-sans-cherokee-700.woff"],
    licence: "OFL-1.1",
    licenceFile: "fallback/noto-sans-cherokee.LICENSE.txt",
  },
  {
    id: "noto-sans-canadian-aboriginal",
    covers: "Canadian syllabics: Inuktitut, Cree, Ojibwe",
    files: ["fallback/noto-sans-canadian-aboriginal-700.woff"],
    licence: "OFL-1.1",
    licenceFile: "fallback/noto-sans-canadian-aboriginal.LICENSE.txt",
  },
  {
    // Noto ships Tifinagh in one weight only.
    id: "noto-sans-tifinagh",
    covers: "Tifinagh: Tamazight (Berber)",
    files: ["fallback/noto-sans-tifinagh-400.woff"],
    licence: "OFL-1.1",
    licenceFile: "fallback/noto-sans-tifinagh.LICENSE.txt",
  },
  {
    id: "noto-sans-ol-chiki",
    covers: "Ol Chiki: Santali",
    files: ["fallback/noto-sans-ol-chiki-700.woff"],
    licence: "OFL-1.1",
    licenceFile: "fallback/noto-sans-ol-chiki.LICENSE.txt",
  },
  {
    // Noto ships Vai in one weight only.
    id: "noto-sans-vai",
    covers: "Vai",
    files: ["fallback/noto-sans-vai-400.woff"],
    licence: "OFL-1.1",
    licenceFile: "fallback/noto-sans-vai.LICENSE.txt",
  },
  {
    id: "noto-emoji",
    covers: "Emoji (monochrome outlines)",
    files: emojiFiles,
    licence: "OFL-1.1",
    licenceFile: "fallback/noto-emoji.LICENSE.txt",
  },
  {
    id: "droid-sans-fallback",
    covers: "Chinese, Japanese, Korean and many symbols",
    files: ["fallback/droid-sans-fallback-full.ttf"],
    licence: "Apache-2.0",
    licenceFile: "fallback/droid-sans-fallback.LICENSE.txt",
  },
  {
    id: "nanum-square",
    covers: "Korean (all 11,172 Hangul syllables; Droid Sans Fallback has none)",
    files: ["fallback/nanum-square-bold.ttf"],
    licence: "OFL-1.1",
    licenceFile: "fallback/nanum-square.LICENSE.txt",
  },
  // Last: runs of these scripts are shaped from their files directly (complex-shaping.ts); the chain
  // reaches them only for a stray character every other font lacks, so emoji and CJK titles never
  // parse them. Unspaced scripts break lines between words found by the ICU dictionary.
  shapedScript("arabic", "Arabic, Persian, Urdu"),
  shapedScript("hebrew", "Hebrew"),
  shapedScript("thaana", "Thaana: Dhivehi (Maldivian)"),
  shapedScript("syriac", "Syriac"),
  // Noto ships N'Ko in one weight only.
  shapedScript("nko", "N'Ko: Manding languages", 400),
  shapedScript("adlam", "Adlam: Fula (Pular, Fulfulde)"),
  shapedScript("hanifi-rohingya", "Hanifi Rohingya: Rohingya"),
  shapedScript("devanagari", "Devanagari: Hindi, Marathi, Nepali, Sanskrit"),
  shapedScript("bengali", "Bengali, Assamese"),
  shapedScript("gurmukhi", "Gurmukhi: Punjabi"),
  shapedScript("gujarati", "Gujarati"),
  shapedScript("oriya", "Odia"),
  shapedScript("tamil", "Tamil"),
  shapedScript("telugu", "Telugu"),
  shapedScript("kannada", "Kannada"),
  shapedScript("malayalam", "Malayalam"),
  shapedScript("sinhala", "Sinhala"),
  shapedScript("thai", "Thai"),
  shapedScript("lao", "Lao"),
  shapedScript("myanmar", "Myanmar: Burmese"),
  shapedScript("khmer", "Khmer"),
  shapedScript("javanese", "Javanese"),
  shapedScript("meetei-mayek", "Meetei Mayek: Manipuri"),
  {
    // Noto has Tibetan only as a serif.
    id: "noto-serif-tibetan",
    covers: "Tibetan, Dzongkha (shaped with HarfBuzz)",
    files: ["fallback/noto-serif-tibetan-700.woff"],
    licence: "OFL-1.1",
    licenceFile: "fallback/noto-serif-tibetan.LICENSE.txt",
  },
] as const satisfies readonly FallbackFontDef[];

export function isFontId(value: string): value is FontId {
  return (FONT_IDS as readonly string[]).includes(value);
}

export function getFont(id: FontId): FontDef {
  const font = FONTS.find((f) => f.id === id);
  if (!font) throw new Error(`unknown font "${id}"`);
  return font;
}

/** A font's label for people; the id itself for anything the catalog no longer lists. */
export function fontLabel(id: string): string {
  return FONTS.find((f) => f.id === id)?.label ?? id;
}
