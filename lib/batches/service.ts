/**
 * Batch use cases shared by the HTTP API, the studio's server action and the pages: submit and read
 * (the creator's controls are in controls.ts). Validation is the shared schema; the work itself always
 * goes through Inngest.
 */
import { getCanvas, isCanvasId, DEFAULT_CANVAS_ID } from "@/lib/catalog/canvases";
import { estimateCost, getModel, MODEL_IDS, pickSize, type ModelId } from "@/lib/catalog/models";
import {
  type BatchSummary,
  createBatch,
  deleteBatch,
  getBatch,
  getDb,
  type BatchInput as StoredInput,
  type NewCell,
} from "@/lib/db";
import { modelAvailability } from "@/lib/providers/registry";
import { getStorage } from "@/lib/storage";
import { inngest } from "@/inngest/client";
import { batchRequested } from "@/inngest/events";
import { toBatchDto, type BatchDto, type UrlFor } from "./dto";
import { parseBatchInput, type FieldIssue, DEFAULT_MAX_IMAGES, HARD_MAX_IMAGES } from "./input";
import { ownerToken } from "./owner";

/**
 * MAX_IMAGES_PER_BATCH, at most HARD_MAX_IMAGES: a batch's plan and its result matrix travel as
 * workflow step data, which Inngest limits to 4 MiB a step (10,000 cells stay well within it).
 */
export function maxImagesPerBatch(): number {
  const raw = process.env.MAX_IMAGES_PER_BATCH?.trim();
  const n = raw ? Number(raw) : DEFAULT_MAX_IMAGES;
  return Number.isInteger(n) && n > 0 ? Math.min(n, HARD_MAX_IMAGES) : DEFAULT_MAX_IMAGES;
}

export function maxBatchCostUsd(): number | null {
  const raw = process.env.MAX_BATCH_COST_USD?.trim();
  if (!raw) return null;
  const n = Number(raw);
  return Number.isFinite(n) && n > 0 ? n : null;
}

export const urlFor: UrlFor = (key, version) => `${getStorage().url(key)}?v=${encodeURIComponent(version)}`;

/** A batch as the list shows it (GET /api/batches, the /batches page): its cover image as a URL. */
export function batchListItem({ coverKey, coverVersion, ...batch }: BatchSummary) {
  return { ...batch, cover: coverKey ? urlFor(coverKey, coverVersion ?? "0") : null };
}
export type BatchListItem = ReturnType<typeof batchListItem>;

/** List price of every cell in the batch, at the size each model will be asked for. */
export function estimateBatchCost(input: {
  prompts: readonly string[];
  models: readonly string[];
  canvas: string;
  quality?: string;
}): {
  totalUsd: number;
  perModel: Record<string, number>;
} {
  const canvas = getCanvas(isCanvasId(input.canvas) ? input.canvas : DEFAULT_CANVAS_ID);
  const perModel: Record<string, number> = {};
  for (const id of input.models) {
    if (!(MODEL_IDS as readonly string[]).includes(id)) continue;
    const model = getModel(id as ModelId);
    const quality = input.quality && model.qualities.includes(input.quality) ? input.quality : undefined;
    perModel[id] = estimateCost(model, quality, pickSize(model, canvas).id) * input.prompts.length;
  }
  const totalUsd = Math.round(Object.values(perModel).reduce((a, b) => a + b, 0) * 1e6) / 1e6;
  return { totalUsd, perModel };
}

export type SubmitResult =
  | { ok: true; id: string; ownerToken: string; batch: BatchDto }
  | { ok: false; status: 400 | 503; error: string; issues: FieldIssue[] };

export async function submitBatch(raw: unknown): Promise<SubmitResult> {
  const availability = new Map(modelAvailability().map((m) => [m.id, m]));
  const parsed = parseBatchInput(raw, {
    maxImages: maxImagesPerBatch(),
    missingEnvFor: (model) => availability.get(model)?.missingEnv ?? null,
  });
  if (!parsed.ok)
    return { ok: false, status: 400, error: "The batch request is invalid.", issues: parsed.issues };
  const { notices, ...input } = parsed.value;
  return startBatch({ input, estimateUsd: estimateBatchCost(input).totalUsd, notices });
}

export interface NewBatch {
  input: StoredInput;
  /** List price of the provider calls this batch will make. */
  estimateUsd: number;
  notices: string[];
  /** Defaults to every (prompt, model) pair; restyling passes raw images to compose from. */
  cells?: NewCell[];
}

/**
 * Checks the spend limits, stores the batch and sends batch/requested. Nothing is left behind when the
 * engine cannot be reached.
 */
export async function startBatch(batch: NewBatch): Promise<SubmitResult> {
  const { input, estimateUsd } = batch;
  const limits: { value: number; path: string; what: string }[] = [];
  if (input.budgetUsd !== undefined && input.budgetUsd !== null)
    limits.push({ value: input.budgetUsd, path: "budgetUsd", what: "your budget" });
  const global = maxBatchCostUsd();
  if (global !== null)
    limits.push({ value: global, path: "models", what: "the per-batch limit (MAX_BATCH_COST_USD)" });
  const over = limits.filter((l) => estimateUsd > l.value);
  if (over.length > 0) {
    const issues = over.map((l) => ({
      path: l.path,
      message: `estimated cost $${estimateUsd.toFixed(2)} exceeds ${l.what} of $${l.value.toFixed(2)}`,
    }));
    return { ok: false, status: 400, error: "The batch would cost more than allowed.", issues };
  }
  const budget = Math.min(...limits.map((l) => l.value));
  const db = await getDb();
  const created = await createBatch(db, {
    input,
    cells: batch.cells,
    estimatedCostUsd: estimateUsd,
    budgetUsd: Number.isFinite(budget) ? budget : null,
    notices: batch.notices,
  });
  const id = created.batch.id;
  try {
    // The event id makes the send idempotent: a retried request never starts the batch twice.
    await inngest.send(
      batchRequested.create({ batchId: id, reason: "created" }, { id: `batch-requested-${id}` }),
    );
  } catch (err) {
    await deleteBatch(db, id);
    const message = `Could not reach the workflow engine: ${(err as Error).message}`;
    return { ok: false, status: 503, error: message, issues: [] };
  }
  return {
    ok: true,
    id,
    ownerToken: ownerToken(id),
    batch: toBatchDto(created.batch, created.cells, urlFor),
  };
}

/**
 * List price per model of the provider calls the batch makes, as estimated when it was submitted: every
 * cell, or nothing for a restyled batch (it composes stored pictures).
 */
export function estimateByModel(input: StoredInput): Record<string, number> {
  const list = estimateBatchCost({ ...input, quality: input.quality ?? undefined }).perModel;
  return input.restyledFrom ? Object.fromEntries(Object.keys(list).map((m) => [m, 0])) : list;
}

export async function readBatch(id: string): Promise<{ batch: BatchDto; lastEventId: number } | null> {
  if (!/^[A-Za-z0-9_-]{16,64}$/.test(id)) return null;
  const db = await getDb();
  // getBatch reads the newest change id before the snapshot, so the stream resumes without gaps.
  const found = await getBatch(db, id);
  if (!found) return null;
  return {
    batch: toBatchDto(found.batch, found.cells, urlFor, estimateByModel(found.batch.input)),
    lastEventId: found.lastEventId,
  };
}
