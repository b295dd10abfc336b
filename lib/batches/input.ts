/**
 * The one schema for a batch request, shared by the studio form, the HTTP API and the CLI. It accepts the
 * named object and the seeds' positional batch.json array, trims prompts, resolves retired model ids (with
 * a notice), and enforces the per-batch image cap.
 */
import { z } from "zod";
import { CANVAS_IDS, DEFAULT_CANVAS_ID } from "@/lib/catalog/canvases";
import { FONT_IDS } from "@/lib/catalog/fonts";
import { ALL_MODEL_IDS, resolveModel, type ModelId } from "@/lib/catalog/models";
import { STYLE_IDS } from "@/lib/catalog/styles";
import { TEMPLATE_IDS } from "@/lib/catalog/templates";

export const MAX_PROMPT_CHARS = 200;
export const MAX_CONTEXT_CHARS = 1000;
export const MAX_EXTRA_PROMPT_CHARS = 500;
export const DEFAULT_MAX_IMAGES = 50;
/** The most MAX_IMAGES_PER_BATCH may raise the cap to (lib/batches/service.ts says why). */
export const HARD_MAX_IMAGES = 10_000;

/** A title as stored: trimmed, runs of whitespace (newlines included) made one space. */
export const cleanPrompt = (p: string) => p.trim().replace(/\s+/g, " ");

export const tooLong = (p: string) => `prompt is ${p.length} characters; the limit is ${MAX_PROMPT_CHARS}`;

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
    .max(max, `${what} is at most ${max} characters`)
    .optional()
    .transform((v) => v?.trim() ?? "");

const objectSchema = z.strictObject(
  {
    prompts: z
      .array(z.string({ error: "each prompt must be text" }), { error: "prompts must be a list of titles" })
      .transform((list) => list.map(cleanPrompt))
      .superRefine((list, ctx) => {
        list.forEach((p, i) => {
          if (p.length > MAX_PROMPT_CHARS) ctx.addIssue({ code: "custom", path: [i], message: tooLong(p) });
        });
      })
      .transform((list) => list.filter((p) => p.length > 0))
      .refine((list) => list.length > 0, "add at least one non-empty prompt"),
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
    canvas: oneOf(CANVAS_IDS, "canvas").optional().default(DEFAULT_CANVAS_ID),
    quality: z.string().max(20).optional(),
    context: optionalText(MAX_CONTEXT_CHARS, "context"),
    extraPrompt: optionalText(MAX_EXTRA_PROMPT_CHARS, "extra guidance"),
    budgetUsd: z
      .number({ error: "budget must be a number of US dollars" })
      .positive("budget must be more than $0")
      .max(100_000, "budget is at most $100,000")
      .optional(),
  },
  {
    error: (issue) =>
      issue.code === "unrecognized_keys"
        ? `unknown field(s): ${issue.keys.join(", ")}`
        : "expected a batch object",
  },
);

/** The seeds' batch.json: [prompts, models, style, template, font, context, extraPrompt]. */
function fromPositional(raw: unknown): unknown {
  if (!Array.isArray(raw)) return raw;
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
      input.quality !== undefined &&
      !model.qualities.includes(input.quality) &&
      model.qualities.length > 1
    ) {
      issues.push({
        path: "quality",
        message: `${model.label} has no quality "${input.quality}"; choose one of ${model.qualities.join(", ")}`,
      });
    }
  });
  const max = options.maxImages ?? DEFAULT_MAX_IMAGES;
  const images = input.prompts.length * models.length;
  if (images > max) {
    issues.push({
      path: "prompts",
      message: `${input.prompts.length} prompts × ${models.length} models = ${images} images; the limit is ${max} per batch`,
      code: "too_many_images",
      limit: max,
    });
  }
  if (issues.length > 0) return { ok: false, issues };
  return { ok: true, value: { ...input, models, notices } };
}
