/**
 * Arabic contextual shaping by mapping letters to their Unicode presentation forms.
 * opentype.js 1.3.4 does not apply the init/medi/fina lookups of Noto Sans Arabic (its GSUB uses
 * lookup formats 1.3.4 skips, and `rlig` throws), so we pick the joined forms ourselves; the
 * fallback font carries glyphs for the presentation-form code points.
 */
type Joining = "D" | "R" | "C" | "T" | "U";

/** base letter → first presentation form (isolated; then final, initial, medial for dual-joining). */
const FORMS = new Map<number, [number, "D" | "R"]>([
  [0x0622, [0xfe81, "R"]],
  [0x0623, [0xfe83, "R"]],
  [0x0624, [0xfe85, "R"]],
  [0x0625, [0xfe87, "R"]],
  [0x0626, [0xfe89, "D"]],
  [0x0627, [0xfe8d, "R"]],
  [0x0628, [0xfe8f, "D"]],
  [0x0629, [0xfe93, "R"]],
  [0x062a, [0xfe95, "D"]],
  [0x062b, [0xfe99, "D"]],
  [0x062c, [0xfe9d, "D"]],
  [0x062d, [0xfea1, "D"]],
  [0x062e, [0xfea5, "D"]],
  [0x062f, [0xfea9, "R"]],
  [0x0630, [0xfeab, "R"]],
  [0x0631, [0xfead, "R"]],
  [0x0632, [0xfeaf, "R"]],
  [0x0633, [0xfeb1, "D"]],
  [0x0634, [0xfeb5, "D"]],
  [0x0635, [0xfeb9, "D"]],
  [0x0636, [0xfebd, "D"]],
  [0x0637, [0xfec1, "D"]],
  [0x0638, [0xfec5, "D"]],
  [0x0639, [0xfec9, "D"]],
  [0x063a, [0xfecd, "D"]],
  [0x0641, [0xfed1, "D"]],
  [0x0642, [0xfed5, "D"]],
  [0x0643, [0xfed9, "D"]],
  [0x0644, [0xfedd, "D"]],
  [0x0645, [0xfee1, "D"]],
  [0x0646, [0xfee5, "D"]],
  [0x0647, [0xfee9, "D"]],
  [0x0648, [0xfeed, "R"]],
  [0x0649, [0xfeef, "R"]],
  [0x064a, [0xfef1, "D"]],
  [0x067e, [0xfb56, "D"]],
  [0x0686, [0xfb7a, "D"]],
  [0x0698, [0xfb8a, "R"]],
  [0x06a9, [0xfb8e, "D"]],
  [0x06af, [0xfb92, "D"]],
  [0x06cc, [0xfbfc, "D"]],
]);

/** alef variant → lam-alef ligature (isolated; final is +1). */
const LAM_ALEF = new Map<number, number>([
  [0x0622, 0xfef5],
  [0x0623, 0xfef7],
  [0x0625, 0xfef9],
  [0x0627, 0xfefb],
]);

function joining(cp: number): Joining {
  const form = FORMS.get(cp);
  if (form) return form[1];
  if (cp === 0x0640 || cp === 0x200d) return "C";
  if ((cp >= 0x064b && cp <= 0x065f) || cp === 0x0670 || (cp >= 0x06d6 && cp <= 0x06ed)) return "T";
  return "U";
}

export function hasArabic(text: string): boolean {
  return /[\u0600-\u06ff]/.test(text);
}

/**
 * Returns `text` (logical order) with Arabic letters replaced by their contextual forms.
 * `available` says whether a presentation-form code point has a glyph; missing ones keep the base.
 */
export function shapeArabic(text: string, available: (cp: number) => boolean): string {
  const cps = Array.from(text, (c) => c.codePointAt(0)!);
  const types = cps.map(joining);
  const neighbour = (i: number, step: 1 | -1): number => {
    for (let j = i + step; j >= 0 && j < cps.length; j += step) if (types[j] !== "T") return j;
    return -1;
  };
  const out: number[] = [];
  for (let i = 0; i < cps.length; i++) {
    const cp = cps[i]!;
    const type = types[i]!;
    const form = FORMS.get(cp);
    if (!form) {
      out.push(cp);
      continue;
    }
    const p = neighbour(i, -1);
    const n = neighbour(i, 1);
    const joinsPrev = p >= 0 && (types[p] === "D" || types[p] === "C");
    const nextCp = n >= 0 ? cps[n]! : -1;
    const ligature = cp === 0x0644 ? LAM_ALEF.get(nextCp) : undefined;
    if (ligature !== undefined) {
      const lig = ligature + (joinsPrev ? 1 : 0);
      if (available(lig)) {
        out.push(lig);
        for (let j = i + 1; j < n; j++) out.push(cps[j]!);
        i = n;
        continue;
      }
    }
    const joinsNext = type === "D" && n >= 0 && ["D", "R", "C"].includes(types[n]!);
    let offset = 0;
    if (type === "D") offset = joinsPrev && joinsNext ? 3 : joinsNext ? 2 : joinsPrev ? 1 : 0;
    else offset = joinsPrev ? 1 : 0;
    const shaped = form[0] + offset;
    out.push(available(shaped) ? shaped : cp);
  }
  return String.fromCodePoint(...out);
}
