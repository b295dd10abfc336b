/**
 * File names for exported images: `<index>-<title slug>--<model>.<ext>`, e.g.
 * `01-why-fan-out-beats-sequential--gpt-image-1.5.jpg`. Names sort in prompt order, contain only letters,
 * digits, "-" and "." (so no character is reserved on Windows, macOS or Linux), and stay well under the
 * 255-byte limit of common file systems even when every letter is multi-byte.
 */

/** Longest title slug, in characters (at most 4 UTF-8 bytes each). */
export const MAX_SLUG_CHARS = 60;

const COMBINING_MARKS = /\p{M}+/gu;
const NOT_WORD = /[^\p{L}\p{N}]+/gu;
// Letters that NFKD does not decompose into a base letter plus a mark.
const FOLD: Record<string, string> = {
  ß: "ss",
  æ: "ae",
  œ: "oe",
  ø: "o",
  đ: "d",
  ð: "d",
  þ: "th",
  ł: "l",
  ı: "i",
};

/**
 * Lower-case slug of `text`: accents dropped (é → e), other scripts kept as they are (ZIP entries carry
 * the UTF-8 flag), everything else collapsed to single hyphens. Empty when nothing is left.
 */
export function slugify(text: string, maxChars = MAX_SLUG_CHARS): string {
  const folded = text
    .normalize("NFKD")
    .replace(COMBINING_MARKS, "")
    .toLowerCase()
    .replace(/[ßæœøđðþłı]/g, (c) => FOLD[c] ?? c)
    .normalize("NFC");
  const slug = folded.replace(NOT_WORD, "-").replace(/^-+|-+$/g, "");
  // Cut on code points (never half a surrogate pair), then at a hyphen when one is near the end.
  const chars = Array.from(slug);
  if (chars.length <= maxChars) return slug;
  const cut = chars.slice(0, maxChars).join("");
  const hyphen = cut.lastIndexOf("-");
  return (hyphen >= maxChars * 0.6 ? cut.slice(0, hyphen) : cut).replace(/-+$/, "");
}

/** ASCII-only version of a name, for HTTP's plain `filename=` parameter and old unzip tools. */
export function asciiFallback(name: string): string {
  const dot = name.lastIndexOf(".");
  const ext = dot > 0 ? name.slice(dot) : "";
  const stem = (dot > 0 ? name.slice(0, dot) : name)
    .normalize("NFKD")
    .replace(COMBINING_MARKS, "")
    .replace(/[^A-Za-z0-9.-]+/g, "-")
    .replace(/-{3,}/g, "--")
    .replace(/^[-.]+|[-.]+$/g, "");
  return `${stem || "download"}${ext.replace(/[^A-Za-z0-9.]/g, "")}`;
}

export interface NameParts {
  /** Position of the title in its batch, from 0 (shown from 1). */
  promptIndex: number;
  prompt: string;
  model: string;
  /** Extension without the dot. */
  ext: string;
  /** Digits of the index (zero-padded so names sort); default 2. */
  indexWidth?: number;
}

/** Digits needed to number `count` items from 1, at least two. */
export function indexWidth(count: number): number {
  return Math.max(2, String(Math.max(1, count)).length);
}

const SAFE_ID = /^[a-z0-9]+(?:[._-][a-z0-9]+)*$/i;

export function imageFileName(parts: NameParts): string {
  const index = String(parts.promptIndex + 1).padStart(parts.indexWidth ?? 2, "0");
  const title = slugify(parts.prompt) || "untitled";
  // Catalog ids keep their dots (gpt-image-1.5); anything else is slugged.
  const modelPart =
    parts.model.length <= 64 && SAFE_ID.test(parts.model)
      ? parts.model.toLowerCase()
      : slugify(parts.model, 40) || "model";
  const ext = parts.ext.replace(/[^a-z0-9]/gi, "").toLowerCase() || "bin";
  return `${index}-${title}--${modelPart}.${ext}`;
}

/**
 * Hands out names no two of which collide, ignoring case (Windows and macOS file systems do): a repeat
 * gets `-2`, `-3`, … before its extension.
 */
export class UniqueNames {
  private readonly taken = new Set<string>();

  claim(name: string): string {
    const dot = name.lastIndexOf(".");
    const stem = dot > 0 ? name.slice(0, dot) : name;
    const ext = dot > 0 ? name.slice(dot) : "";
    let candidate = name;
    for (let n = 2; this.taken.has(candidate.toLowerCase()); n++) candidate = `${stem}-${n}${ext}`;
    this.taken.add(candidate.toLowerCase());
    return candidate;
  }
}

/**
 * Content-Disposition value with both an ASCII `filename` (old clients) and an RFC 5987 `filename*`
 * carrying the exact UTF-8 name.
 */
export function contentDisposition(name: string, type: "attachment" | "inline" = "attachment"): string {
  const ascii = asciiFallback(name).replace(/["\\]/g, "");
  const encoded = encodeURIComponent(name).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `${type}; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}
