/**
 * Command-line parsing for `npm run thumb`. Every flag is checked here, before the provider call, so a
 * typo never costs a paid image: the title as the compositor will see it, the catalog ids, --quality,
 * --seed, and --out (its folder, and the format its extension names, which must agree with --format).
 */
import { accessSync, constants, statSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import {
  CANVAS_IDS,
  canvasIdFor,
  DEFAULT_CANVAS_ID,
  getCanvas,
  isCanvasId,
  type CanvasSize,
} from "@/lib/catalog/canvases";
import { DEFAULT_FONT_ID, FONT_IDS, isFontId, type FontId } from "@/lib/catalog/fonts";
import { resolveModel, type Model } from "@/lib/catalog/models";
import { DEFAULT_STYLE, isStyleId, STYLE_IDS, type StyleId } from "@/lib/catalog/styles";
import { DEFAULT_TEMPLATE_ID, isTemplateId, TEMPLATE_IDS, type TemplateId } from "@/lib/catalog/templates";
import { OUTPUT_FORMATS, type OutputFormat } from "@/lib/compose/compose";
import { hasVisibleText } from "@/lib/compose/text/visible";

/** Bad flags: every problem found in one run, one line each (the message joins them). */
export class UsageError extends Error {
  readonly problems: string[];
  constructor(problems: string | string[]) {
    const list = typeof problems === "string" ? [problems] : problems;
    super(list.join("\n"));
    this.problems = list;
  }
}

/** What `npm run thumb -- --help` prints: every flag, with the catalog's ids and the defaults. */
export function thumbUsage(): string {
  return [
    "Renders one thumbnail: the title's picture from an image model, cropped to the canvas, the title set over it.",
    "",
    'usage: npm run thumb -- --title "…" --out file.jpg [flags]',
    "",
    "  --title      the title (required)",
    "  --out        the file to write; .jpg, .jpeg, .webp or .png (required)",
    "  --model      an image model id (default local-preview, offline and free)",
    `  --style      ${STYLE_IDS.join(", ")} (default ${DEFAULT_STYLE})`,
    `  --template   ${TEMPLATE_IDS.join(", ")} (default ${DEFAULT_TEMPLATE_ID})`,
    `  --font       ${FONT_IDS.join(", ")} (default ${DEFAULT_FONT_ID})`,
    `  --canvas     ${CANVAS_IDS.join(", ")}, or the size of one (1280x720) (default ${DEFAULT_CANVAS_ID})`,
    `  --format     ${OUTPUT_FORMATS.join(", ")} (default: from --out's extension)`,
    "  --quality    1–100, for JPEG and WebP (default 85)",
    "  --context    what the title is about, for the picture",
    "  --extra      extra guidance for the picture",
    "  --seed       a whole number, for models that take one",
    "",
    "Exit codes: 0 written; 1 the provider or the compositor failed; 2 bad usage, or the model's provider key not set.",
  ].join("\n");
}

export interface ThumbArgs {
  title: string;
  model: Model;
  /** Set when a retired model id was mapped to its successor. */
  notice?: string;
  style: StyleId;
  template: TemplateId;
  font: FontId;
  canvas: CanvasSize;
  format: OutputFormat;
  quality?: number;
  context?: string;
  extra?: string;
  seed?: number;
  out: string;
}

/** The format each file extension names; any other extension is refused rather than mislabelled. */
const EXTENSIONS: Record<string, OutputFormat> = {
  ".jpg": "jpeg",
  ".jpeg": "jpeg",
  ".webp": "webp",
  ".png": "png",
};
const KNOWN = Object.keys(EXTENSIONS).join(", ");

function oneOf<T extends string>(
  name: string,
  value: string,
  ids: readonly T[],
  check: (v: string) => v is T,
): T {
  if (!check(value)) throw new UsageError(`--${name}: unknown "${value}"; expected one of ${ids.join(", ")}`);
  return value;
}

function integer(name: string, value: string | undefined, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!/^\s*-?\d+\s*$/.test(value) || !Number.isInteger(n) || n < min || n > max)
    throw new UsageError(`--${name}: expected an integer from ${min} to ${max}, got "${value}"`);
  return n;
}

/**
 * The format to write: --format when given (jpg is jpeg), else the one --out's extension names (JPEG
 * for a name without one). An
 * extension naming another format than --format, or none of jpg, jpeg, webp, png, is refused: the
 * file would not be what its name says.
 */
export function outputFormat(out: string, format: string | undefined): OutputFormat {
  const ext = path.extname(out).toLowerCase();
  const named = EXTENSIONS[ext];
  const asked = format?.toLowerCase() === "jpg" ? "jpeg" : format?.toLowerCase();
  if (asked !== undefined && !(OUTPUT_FORMATS as readonly string[]).includes(asked))
    throw new UsageError(`--format: unknown "${format}"; expected one of ${OUTPUT_FORMATS.join(", ")}`);
  if (ext && !named)
    throw new UsageError(
      `--out ${out}: thumb writes ${OUTPUT_FORMATS.join(", ")} files, not "${ext}"; end the name with ${KNOWN}`,
    );
  // A name without an extension claims no format: JPEG, as before, unless --format says otherwise.
  if (asked === undefined) return named ?? "jpeg";
  if (named && named !== asked)
    throw new UsageError(
      `--out ${out} names a ${named} file but --format is ${asked}; change the extension or --format`,
    );
  return asked as OutputFormat;
}

/** --out must be a file in an existing, writable folder (checked now: writing comes after the paid call). */
export function checkOutPath(out: string): void {
  let stat;
  try {
    stat = statSync(out);
  } catch {
    stat = null;
  }
  if (stat?.isDirectory()) throw new UsageError(`--out ${out} is a folder; name the file to write`);
  const dir = path.dirname(path.resolve(out));
  let dirStat;
  try {
    dirStat = statSync(dir);
  } catch {
    throw new UsageError(`--out ${out}: no folder ${dir}`);
  }
  if (!dirStat.isDirectory()) throw new UsageError(`--out ${out}: ${dir} is not a folder`);
  try {
    accessSync(stat ? out : dir, constants.W_OK);
  } catch {
    throw new UsageError(
      `--out ${out}: cannot write ${stat ? "that file" : `in ${dir}`} (permission denied)`,
    );
  }
}

export function parseThumbArgs(argv: string[], outPathCheck = checkOutPath): ThumbArgs {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        title: { type: "string" },
        model: { type: "string", default: "local-preview" },
        style: { type: "string", default: DEFAULT_STYLE },
        template: { type: "string", default: DEFAULT_TEMPLATE_ID },
        font: { type: "string", default: DEFAULT_FONT_ID },
        canvas: { type: "string", default: DEFAULT_CANVAS_ID },
        format: { type: "string" },
        quality: { type: "string" },
        context: { type: "string" },
        extra: { type: "string" },
        seed: { type: "string" },
        out: { type: "string" },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    // node:util's messages run over lines; one line, as every other refusal here.
    throw new UsageError((err as Error).message.replace(/\s*\n\s*/g, " "));
  }
  // Every flag is checked, and every bad one named: fixing one typo should not reveal the next.
  const problems: string[] = [];
  const check = <T>(run: () => T): T | undefined => {
    try {
      return run();
    } catch (err) {
      if (!(err instanceof UsageError)) throw err;
      problems.push(...err.problems);
      return undefined;
    }
  };
  // As the compositor judges it (control characters alone are no title): else the paid picture is wasted.
  if (!values.title || !hasVisibleText(values.title))
    problems.push('--title is required, with a visible character, e.g. --title "How to brew better coffee"');
  const out = values.out;
  if (!out) problems.push("--out is required, e.g. --out thumb.jpg");
  const resolved = check(() => {
    try {
      return resolveModel(values.model);
    } catch (err) {
      throw new UsageError(`--model: ${(err as Error).message}`);
    }
  });
  const style = check(() => oneOf("style", values.style, STYLE_IDS, isStyleId));
  const template = check(() => oneOf("template", values.template, TEMPLATE_IDS, isTemplateId));
  const font = check(() => oneOf("font", values.font, FONT_IDS, isFontId));
  const canvasId = check(() => oneOf("canvas", canvasIdFor(values.canvas), CANVAS_IDS, isCanvasId));
  const format = out ? check(() => outputFormat(out, values.format)) : undefined;
  const quality = check(() => integer("quality", values.quality, 1, 100));
  const seed = check(() => integer("seed", values.seed, 0, 2 ** 31 - 1));
  if (out) check(() => outPathCheck(out));
  const title = values.title;
  // (The other checks are what TypeScript reads: none is missing when no problem was found.)
  if (
    problems.length > 0 ||
    !title ||
    !out ||
    !resolved ||
    !style ||
    !template ||
    !font ||
    !canvasId ||
    !format
  )
    throw new UsageError(problems);
  const args: ThumbArgs = {
    title,
    model: resolved.model,
    style,
    template,
    font,
    canvas: getCanvas(canvasId),
    format,
    out,
  };
  if (resolved.notice) args.notice = resolved.notice;
  if (quality !== undefined) args.quality = quality;
  if (seed !== undefined) args.seed = seed;
  if (values.context !== undefined) args.context = values.context;
  if (values.extra !== undefined) args.extra = values.extra;
  return args;
}
