/**
 * The one schema for a batch request, shared by the studio form, the HTTP API and the CLI. It accepts the
 * named object and the seeds' positional batch.json array, trims prompts, resolves retired model ids (with
 * a notice), and enforces the per-batch image cap.
 */
import { z } from "zod";
import { CANVAS_IDS, canvasIdFor, DEFAULT_CANVAS_ID } from "@/lib/catalog/canvases";
import { FONT_IDS } from "@/lib/catalog/fonts";
import { ALL_MODEL_IDS, resolveModel, type ModelId } from "@/lib/catalog/models";
import { STYLE_IDS } from "@/lib/catalog/styles";
import { TEMPLATE_IDS } from "@/lib/catalog/templates";
import { hasVisibleText } from "@/lib/compose/text/visible";
import { formatUsd, plural } from "@/lib/format";
import { overLimit, unstorable } from "@/lib/user-text";

export const MAX_PROMPT_CHARS = 200;
export const MAX_CONTEXT_CHARS = 1000;
export const MAX_EXTRA_PROMPT_CHARS = 500;
export const DEFAULT_MAX_IMAGES = 50;
/** The most MAX_IMAGES_PER_BATCH may raise the cap to (lib/batches/limits.ts says why). */
export const HARD_MAX_IMAGES = 10_000;
/**
 * The smallest budget taken (refused where the form, the API and the CLI all check it: the schema).
 * Batches made before it keep theirs, said as they are ($0.005: lib/format.ts), not rounded to a cent.
 */
export const MIN_BUDGET_USD = 0.01;
export const MAX_BUDGET_USD = 100_000;
const BUDGET_TOO_SMALL = "budget must be at least $0.01";
const BUDGET_TOO_LARGE = "budget is at most $100,000";

/** A title as stored: trimmed, runs of whitespace (newlines included) made one space. */
export const cleanPrompt = (p: string) => p.trim().replace(/\s+/g, " ");

/** Why a title the compositor cannot draw is refused, after its name ("title 3 …"). */
export const NOTHING_VISIBLE =
  "has no visible characters (only spaces, control, zero-width or joining characters)";

/**
 * What is wrong with title `index` (0-based) as cleanPrompt left it, or null: the database must hold it,
 * it is at most MAX_PROMPT_CHARS characters as a person counts them, and the compositor can draw it (a
 * title of only zero-width, joining or control characters would be paid for, then fail to compose).
 * Blank titles are not checked here: the batch schema drops them, a restyle refuses them.
 */
export function titleProblem(p: string, index: number): string | null {
  const bad = unstorable(p);
  if (bad) return `title ${index + 1} ${bad}`;
  const long = overLimit(p, MAX_PROMPT_CHARS);
  if (long) return `title ${index + 1} ${long}`;
  if (p !== "" && !hasVisibleText(p)) {
    return `title ${index + 1} ${NOTHING_VISIBLE}`;
  }
  return null;
}

/** A canvas id, or the size of one ("1280x720"); shared with the restyle schema. */
export const canvasField = () =>
  z
    .string({ error: (issue) => (issue.input === undefined ? "canvas is required" : "canvas must be text") })
    .transform(canvasIdFor)
    .pipe(oneOf(CANVAS_IDS, "canvas"));

/** One of the catalog's ids; shared with the restyle schema. */
export const oneOf = (ids: readonly string[], what: string) =>
  z
    .string({
      error: (issue) => (issue.input === undefined ? `${what} is required` : `${what} must be text`),
    })
    .refine((v) => ids.includes(v), {
      error: (issue) => `unknown ${what} "${String(issue.input)}"; choose one of ${ids.join(", ")}`,
    });

const optionalText = (max: number, what: string) =>
  z
    .string({ error: `${what} must be text` })
    .superRefine((v, ctx) => {
      const long = overLimit(v, max);
      if (long) ctx.addIssue({ code: "custom", message: `${what} ${long}` });
    })
    .superRefine((v, ctx) => {
      const bad = unstorable(v);
      if (bad) ctx.addIssue({ code: "custom", message: `${what} ${bad}` });
    })
    .optional()
    .transform((v) => v?.trim() ?? "");

const objectSchema = z.strictObject(
  {
    prompts: z
      .array(z.string({ error: "each title must be text" }), { error: "prompts must be a list of titles" })
      .transform((list) => list.map(cleanPrompt))
      .superRefine((list, ctx) => {
        list.forEach((p, i) => {
          const problem = titleProblem(p, i);
          if (problem) ctx.addIssue({ code: "custom", path: [i], message: problem });
        });
      })
      .transform((list) => list.filter((p) => p.length > 0))
      .refine((list) => list.length > 0, "add at least one title"),
    models: z
      .array(
        z
          .string({ error: "each model must be a model id" })
          .refine((v) => (ALL_MODEL_IDS as readonly string[]).includes(v), {
            error: (issue) => `unknown model "${String(issue.input)}"`,
          }),
        { error: "models must be a list of model ids" },
      )
      .min(1, "choose at least one model"),
    style: oneOf(STYLE_IDS, "style"),
    template: oneOf(TEMPLATE_IDS, "template"),
    font: oneOf(FONT_IDS, "font"),
    canvas: canvasField().optional().default(DEFAULT_CANVAS_ID),
    quality: z
      .string({ error: "quality must be text" })
      .min(1, "quality cannot be empty: leave it out for each model's default")
      .max(20, "quality is at most 20 characters")
      .optional(),
    context: optionalText(MAX_CONTEXT_CHARS, "context"),
    extraPrompt: optionalText(MAX_EXTRA_PROMPT_CHARS, "extra guidance"),
    budgetUsd: z
      .number({ error: (issue) => budgetNotANumber(issue.input) })
      .min(MIN_BUDGET_USD, BUDGET_TOO_SMALL)
      .max(MAX_BUDGET_USD, BUDGET_TOO_LARGE)
      .optional(),
  },
  {
    error: (issue) =>
      issue.code === "unrecognized_keys"
        ? `unknown field(s): ${issue.keys.join(", ")}`
        : "expected a batch object",
  },
);

/**
 * An amount as typed in a form: a plain number, commas only between groups of three digits before the
 * point ("1,000.50"; "1,5" might mean 1.5 or 15, so it is no amount), optionally with an exponent
 * ("1e3", as a spreadsheet may copy it).
 */
const AMOUNT = /^-?(?:(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?$/i;

/**
 * The studio's budget field as the schema takes it: nothing typed is no budget; an amount (AMOUNT), with
 * or without a leading "$" and spaces around ("$5", " $ 2.50 ", "$1,000.50", "1e3"), is that number of
 * dollars; anything else, or an amount too large to be a finite number, is passed on as typed, for the
 * schema to refuse with its message. The API and batch files take a number only: this is for a form
 * field (the studio's, in the browser and in its server action), where people write money as they
 * would anywhere else.
 */
export function readBudgetField(text: string | undefined): number | string | undefined {
  const typed = (text ?? "").trim();
  if (typed === "") return undefined;
  const amount = typed.replace(/^\$\s*/, "");
  if (!AMOUNT.test(amount)) return typed;
  const usd = Number(amount.replaceAll(",", ""));
  return Number.isFinite(usd) ? usd : typed;
}

/** Why the budget is refused when it is no number: what was typed wrong, when it can be told. */
function budgetNotANumber(input: unknown): string {
  const said = "budget must be a number of US dollars, such as 5 or 2.50";
  if (typeof input !== "string") return said;
  if (/^\$?\s*-?[\d.,]*,[\d.,]*$/.test(input) && /\d/.test(input))
    return `budget "${input}" is not clear: write cents after a point ($2.50) and commas only between thousands ($1,000)`;
  // An amount past what a number holds (1e999): out of range, by the same words as a merely large one.
  const amount = input.replace(/^\$\s*/, "");
  if (AMOUNT.test(amount) && !Number.isFinite(Number(amount.replaceAll(",", ""))))
    return amount.startsWith("-") ? BUDGET_TOO_SMALL : BUDGET_TOO_LARGE;
  return said;
}

/** Why an estimate is refused by a spend limit: both amounts as precisely as prices are said ($0.015). */
export function overLimitMessage(estimateUsd: number, what: string, limitUsd: number): string {
  return `estimated cost ${formatUsd(estimateUsd)} exceeds ${what} of ${formatUsd(limitUsd)}`;
}

const POSITIONAL_FIELDS = ["prompts", "models", "style", "template", "font", "context", "extraPrompt"];

/** The seeds' batch.json: [prompts, models, style, template, font, context, extraPrompt]. */
function fromPositional(raw: unknown, ctx: z.RefinementCtx): unknown {
  if (!Array.isArray(raw)) return raw;
  // Extra elements are refused, as unknown keys of the named form are: they would be dropped unread.
  if (raw.length > POSITIONAL_FIELDS.length) {
    ctx.addIssue({
      code: "custom",
      message: `the batch list has ${raw.length} elements; it takes at most ${POSITIONAL_FIELDS.length}: ${POSITIONAL_FIELDS.join(", ")}`,
    });
    return z.NEVER;
  }
  const [prompts, models, style, template, font, context, extraPrompt] = raw as unknown[];
  return {
    prompts,
    models,
    style,
    template,
    font,
    context: context ?? undefined,
    extraPrompt: extraPrompt ?? undefined,
  };
}

export const batchInputSchema = z.preprocess(fromPositional, objectSchema);
export type BatchInputRaw = z.input<typeof objectSchema>;

export interface BatchInput {
  prompts: string[];
  models: ModelId[];
  style: string;
  template: string;
  font: string;
  canvas: string;
  quality?: string;
  context: string;
  extraPrompt: string;
  budgetUsd?: number;
  /** Visible notes about the request, e.g. a retired model id that was mapped to its successor. */
  notices: string[];
}

export interface FieldIssue {
  path: string;
  message: string;
  /** Set on the issue a client may act on by itself: "too_many_images" (with the limit) can be split. */
  code?: "too_many_images";
  limit?: number;
}

/** A zod error as field issues: dotted paths ("prompts.3"), `rootPath` for the value as a whole. */
export function fieldIssues(error: z.ZodError, rootPath = "(root)"): FieldIssue[] {
  return error.issues.map((i) => ({ path: i.path.join(".") || rootPath, message: i.message }));
}

export type ParseResult = { ok: true; value: BatchInput } | { ok: false; issues: FieldIssue[] };

export interface ParseOptions {
  maxImages?: number;
  /** Server-side only: returns the env variable a model needs when it is unavailable here. */
  missingEnvFor?: (model: ModelId) => string | null;
}

/** Validates a batch request. Field paths are dotted ("prompts.3") so forms can show them beside the field. */
export function parseBatchInput(raw: unknown, options: ParseOptions = {}): ParseResult {
  const parsed = batchInputSchema.safeParse(raw);
  if (!parsed.success) {
    return {
      ok: false,
      issues: fieldIssues(parsed.error),
    };
  }
  const input = parsed.data;
  const issues: FieldIssue[] = [];
  const notices: string[] = [];
  const models: ModelId[] = [];
  const { quality } = input;
  // A quality is one of the batch's models' tiers. Each model with several tiers must have it; a model
  // with one tier (local-preview) draws at that tier, so a batch may pair it with another's tier.
  const tiers = new Set(input.models.flatMap((id) => resolveModel(id).model.qualities));
  const knownQuality = quality === undefined || tiers.has(quality);
  if (!knownQuality) {
    issues.push({
      path: "quality",
      message: `no model in this batch has quality "${quality}"; choose one of ${[...tiers].join(", ")}`,
    });
  }
  input.models.forEach((id, i) => {
    const { model, notice } = resolveModel(id);
    if (notice) notices.push(notice);
    if (models.includes(model.id)) {
      issues.push({
        path: `models.${i}`,
        message: `${id} repeats ${model.id}, which is already in the batch`,
      });
      return;
    }
    models.push(model.id);
    const missing = options.missingEnvFor?.(model.id);
    if (missing)
      issues.push({ path: `models.${i}`, message: `${model.label} is not available here: set ${missing}` });
    if (
      quality !== undefined &&
      knownQuality &&
      !model.qualities.includes(quality) &&
      model.qualities.length > 1
    ) {
      issues.push({
        path: "quality",
        message: `${model.label} has no quality "${quality}"; choose one of ${model.qualities.join(", ")}`,
      });
    }
  });
  const max = options.maxImages ?? DEFAULT_MAX_IMAGES;
  const images = input.prompts.length * models.length;
  if (images > max) {
    issues.push({
      path: "prompts",
      message: `${plural(input.prompts.length, "title")} × ${plural(models.length, "model")} = ${images} images; the limit is ${max} per batch`,
      code: "too_many_images",
      limit: max,
    });
  }
  if (issues.length > 0) return { ok: false, issues };
  return { ok: true, value: { ...input, models, notices } };
}
