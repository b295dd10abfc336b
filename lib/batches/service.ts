/**
 * Batch use cases shared by the HTTP API, the studio's server action and the pages: submit and read
 * (the creator's controls are in controls.ts). Validation is the shared schema; the work itself always
 * goes through Inngest.
 */
import {
  type BatchSummary,
  createBatch,
  deleteBatch,
  getBatch,
  getDb,
  type BatchInput as StoredInput,
  type NewCell,
  callsOutAfterCancel,
  isTerminalBatch,
} from "@/lib/db";
import { modelAvailability } from "@/lib/providers/registry";
import { inngest } from "@/inngest/client";
import { batchRequested } from "@/inngest/events";
import { urlFor } from "./blob-url";
import { estimateBatchCost, estimateByModel } from "./estimate";
import { callWindowMs } from "./call-window";
import { toBatchDto, type BatchDto } from "./dto";
import { overLimitMessage, parseBatchInput, type FieldIssue, HARD_MAX_IMAGES } from "./input";
import { maxBatchCostUsd, maxImagesPerBatch } from "./limits";
import { ownedBatchId, ownerToken } from "./owner";
import { splitInput } from "./split";

export { urlFor, estimateBatchCost, estimateByModel };

/** A batch as the list shows it (GET /api/batches, the /batches page): its cover image as a URL. */
export function batchListItem({ coverKey, coverVersion, ...batch }: BatchSummary) {
  return { ...batch, cover: coverKey ? urlFor(coverKey, coverVersion ?? "0") : null };
}
export type BatchListItem = ReturnType<typeof batchListItem>;

export type SubmitResult =
  | { ok: true; id: string; ownerToken: string; batch: BatchDto }
  | { ok: false; status: 400 | 503; error: string; issues: FieldIssue[] };

/** Who a new batch is made for: the key of the browser making it (owner.ts), if any. */
export interface SubmitOptions {
  creatorKey?: string;
}

const invalid = (issues: FieldIssue[]): Refusal => ({
  ok: false,
  status: 400,
  error: "The batch request is invalid.",
  issues,
});

/** The shared schema, with the models this server can call. */
function parseSubmission(raw: unknown, maxImages: number) {
  const availability = new Map(modelAvailability().map((m) => [m.id, m]));
  return parseBatchInput(raw, {
    maxImages,
    missingEnvFor: (model) => availability.get(model)?.missingEnv ?? null,
  });
}

export async function submitBatch(raw: unknown, options: SubmitOptions = {}): Promise<SubmitResult> {
  const parsed = parseSubmission(raw, maxImagesPerBatch());
  if (!parsed.ok) return invalid(parsed.issues);
  const { notices, ...input } = parsed.value;
  return startBatch({ input, estimateUsd: estimateBatchCost(input).totalUsd, notices, ...options });
}

export interface NewBatch {
  input: StoredInput;
  /** List price of the provider calls this batch will make. */
  estimateUsd: number;
  notices: string[];
  /** Defaults to every (prompt, model) pair; restyling passes raw images to compose from. */
  cells?: NewCell[];
  /** The key of the browser making it: its id then shows that browser as the owner. */
  creatorKey?: string;
}

type Refusal = Extract<SubmitResult, { ok: false }>;

/** The spend limits a batch must stay within: its own budget and MAX_BATCH_COST_USD. */
function spendLimits(batch: NewBatch) {
  const limits: { value: number; path: string; what: string }[] = [];
  if (batch.input.budgetUsd !== undefined && batch.input.budgetUsd !== null)
    limits.push({ value: batch.input.budgetUsd, path: "budgetUsd", what: "your budget" });
  const global = maxBatchCostUsd();
  if (global !== null)
    limits.push({ value: global, path: "models", what: "the per-batch limit (MAX_BATCH_COST_USD)" });
  const over = limits.filter((l) => batch.estimateUsd > l.value);
  const refusal: Refusal | null =
    over.length === 0
      ? null
      : {
          ok: false,
          status: 400,
          error: "The batch would cost more than allowed.",
          issues: over.map((l) => ({
            path: l.path,
            message: overLimitMessage(batch.estimateUsd, l.what, l.value),
          })),
        };
  const budget = Math.min(...limits.map((l) => l.value));
  return { refusal, budgetUsd: Number.isFinite(budget) ? budget : null };
}

/**
 * Checks the spend limits of every batch, stores them all, then sends one batch/requested each in a
 * single send. Nothing is stored when one is over a limit, and nothing is left behind when the engine
 * cannot be reached.
 */
async function startAll(
  batches: readonly NewBatch[],
): Promise<Refusal | Extract<SubmitResult, { ok: true }>[]> {
  const budgets: (number | null)[] = [];
  for (const batch of batches) {
    const { refusal, budgetUsd } = spendLimits(batch);
    if (refusal) return refusal;
    budgets.push(budgetUsd);
  }
  const db = await getDb();
  const created: Awaited<ReturnType<typeof createBatch>>[] = [];
  let sending = false;
  try {
    for (const [i, batch] of batches.entries()) {
      created.push(
        await createBatch(db, {
          input: batch.input,
          cells: batch.cells,
          estimatedCostUsd: batch.estimateUsd,
          budgetUsd: budgets[i] ?? null,
          notices: batch.notices,
          ...(batch.creatorKey ? { id: ownedBatchId(batch.creatorKey) } : {}),
        }),
      );
    }
    sending = true;
    // The event ids make the send idempotent: a retried request never starts a batch twice.
    await inngest.send(
      created.map(({ batch }) =>
        batchRequested.create(
          { batchId: batch.id, reason: "created" },
          { id: `batch-requested-${batch.id}` },
        ),
      ),
    );
  } catch (err) {
    // None of them started: a batch stored before a later one failed must not wait for a run forever.
    for (const { batch } of created) await deleteBatch(db, batch.id);
    if (!sending) throw err;
    const message = `Could not reach the workflow engine: ${(err as Error).message}`;
    return { ok: false, status: 503, error: message, issues: [] };
  }
  return created.map((c) => ({
    ok: true as const,
    id: c.batch.id,
    ownerToken: ownerToken(c.batch.id),
    batch: toBatchDto(c.batch, c.cells, urlFor, estimateByModel(c.batch.input, c.cells)),
  }));
}

/**
 * Checks the spend limits, stores the batch and sends batch/requested. Nothing is left behind when the
 * engine cannot be reached.
 */
export async function startBatch(batch: NewBatch): Promise<SubmitResult> {
  const started = await startAll([batch]);
  return Array.isArray(started) ? started[0]! : started;
}

export type SplitResult =
  | {
      ok: true;
      batches: { id: string; ownerToken: string; from: number; titles: number }[];
      perBatch: number;
    }
  | Refusal;

/**
 * A submit over the images-per-batch limit as several batches of whole titles, in order, each within the
 * limit (at most HARD_MAX_IMAGES in all, over at most MAX_SPLIT_BATCHES batches). All are stored and
 * started, or none. Input within the limit makes one batch, as submitBatch does.
 */
export async function submitSplit(raw: unknown, options: SubmitOptions = {}): Promise<SplitResult> {
  const parsed = parseSubmission(raw, HARD_MAX_IMAGES);
  if (!parsed.ok) return invalid(parsed.issues);
  const { notices, ...input } = parsed.value;
  const split = splitInput(input, maxImagesPerBatch());
  if (!split.ok) return invalid([{ path: split.path, message: split.error }]);
  // Stored last part first, so a list of batches newest first (/batches) shows them in title order.
  const started = await startAll(
    split.parts
      .map(({ body }) => ({
        input: body,
        estimateUsd: estimateBatchCost(body).totalUsd,
        notices,
        ...options,
      }))
      .reverse(),
  );
  if (!Array.isArray(started)) return started;
  started.reverse();
  return {
    ok: true,
    perBatch: split.perBatch,
    batches: started.map((b, i) => ({
      id: b.id,
      ownerToken: b.ownerToken,
      from: split.parts[i]!.from,
      titles: split.parts[i]!.body.prompts.length,
    })),
  };
}

export async function readBatch(id: string): Promise<{ batch: BatchDto; lastEventId: number } | null> {
  if (!/^[A-Za-z0-9_-]{16,64}$/.test(id)) return null;
  const db = await getDb();
  // getBatch reads the newest change id before the snapshot, so the stream resumes without gaps.
  const found = await getBatch(db, id);
  if (!found) return null;
  const since = Date.now() - callWindowMs();
  // Calls from before a cancel (of the batch, or of a new take, which leaves the batch finished otherwise).
  const callsOut = isTerminalBatch(found.batch.status) ? callsOutAfterCancel(found.cells, since).cells : 0;
  // Those of cancelled cells, which a resume waits for: while the batch runs again too.
  const cancelled = found.cells.filter((c) => c.status === "cancelled");
  const cancelledCallsOut = callsOutAfterCancel(cancelled, since).cells;
  const estimated = estimateByModel(found.batch.input, found.cells);
  return {
    batch: toBatchDto(found.batch, found.cells, urlFor, estimated, { callsOut, cancelledCallsOut }),
    lastEventId: found.lastEventId,
  };
}
