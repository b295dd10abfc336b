/**
 * The body of one cell (one prompt × one model): generate → compose + store → record. Each function here
 * is one Inngest step, so each is idempotent: the raw image is content-addressed and remembered on the
 * cell, so a re-executed step reuses it instead of paying for a second generation; the final image key is
 * derived from (batch, prompt, model), so a retry overwrites instead of duplicating.
 */
import { getCanvas, isCanvasId, DEFAULT_CANVAS_ID } from "@/lib/catalog/canvases";
import { estimateCost, getModel, pickSize, type ModelId } from "@/lib/catalog/models";
import type { FontId } from "@/lib/catalog/fonts";
import type { TemplateId } from "@/lib/catalog/templates";
import type { StyleId } from "@/lib/catalog/styles";
import { composeThumbnail } from "@/lib/compose/compose";
import {
  cancelBatch,
  completeCell,
  failCell,
  findCell,
  finishBatchIfDone,
  beginAttempt,
  blobKeys,
  getBatchRow,
  readCell,
  recordAttemptResult,
  reviveKnownCell,
  storeKnownCell,
  unsharedKeys,
  type BatchRow,
  type PreviousImage,
  type CellRow,
  type StoredKnownCell,
  type Db,
} from "@/lib/db";
import { isProviderError } from "@/lib/errors";
import { formatUsd } from "@/lib/format";
import { buildPrompt } from "@/lib/prompt";
import { callLimit, type CallPermit } from "@/lib/providers/call-limit";
import { getProvider } from "@/lib/providers/registry";
import { readEnv } from "@/lib/env";
import { callWindowMs } from "./call-window";
import { takeKeyTag } from "./owner";
import { providerConcurrency } from "./concurrency";
import { finalImageKey, rawImageKey } from "@/lib/storage/keys";
import { keepRaw, takeRaw } from "./raw-handoff";
import { getStorage } from "@/lib/storage";
import { IMMUTABLE_MAX_AGE } from "@/lib/storage/types";

export interface CellRef {
  batchId: string;
  promptIndex: number;
  model: ModelId;
  /** The cell's round this work was started for (absent in work started before rounds were passed). */
  round?: number;
}

/** What compose needs, fixed when the raw image was made (so a replayed step composes the same). */
export interface ComposeSpec {
  cellId: string;
  title: string;
  template: string;
  font: string;
  canvas: string;
  /** The cell's take (absent in results memoized before takes existed: 0). */
  take?: number;
  /** The cell's round when its picture was made: recording it changes no later round. */
  round?: number;
  /**
   * The cell as the generate step's write of its result left it, still working on this round: the
   * record step writes from it in one statement, with no read, unless the cell changed since (then it
   * reads, holding the locks). Absent when the picture was reused, or the cell had ended meanwhile.
   */
  written?: StoredKnownCell;
}

export type GenerateOutcome =
  | { kind: "raw"; rawKey: string; reused: boolean; spec: ComposeSpec }
  | { kind: "skipped"; status: CellRow["status"] };

/** Thrown for a provider failure after it was recorded; the workflow maps it onto Inngest's retry rules. */
export class AttemptFailed extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
    readonly retryAfterMs: number | null,
  ) {
    super(message);
    this.name = "AttemptFailed";
  }
}

/**
 * Step "generate". `attempt` is Inngest's 0-based attempt of this step and `lastAttempt` whether no
 * retry follows a failure.
 */
export async function generateStep(
  db: Db,
  ref: CellRef,
  attempt: number,
  lastAttempt: boolean,
): Promise<GenerateOutcome> {
  // Past what the provider takes at once, the call waits here, before anything is logged.
  const provider = getModel(ref.model).provider;
  const permit = await callLimit(provider, () => providerConcurrency(provider)).acquire(
    readEnv().PROVIDER_TIMEOUT_MS,
  );
  try {
    return await generateWithPermit(db, ref, attempt, lastAttempt, permit);
  } finally {
    permit.release();
  }
}

async function generateWithPermit(
  db: Db,
  ref: CellRef,
  attempt: number,
  lastAttempt: boolean,
  permit: CallPermit,
): Promise<GenerateOutcome> {
  // The call's list price is reserved against the batch's budget while it is out.
  const call = { attempt, priceOf: (batch: BatchRow) => listPrice(batch, ref), callWindowMs: callWindowMs() };
  let begun = await beginAttempt(db, ref, { ...call, reuseRaw: true });
  // A raw image from an earlier execution of this step (or an earlier round) is reused: never pay twice.
  if (begun.kind === "reuse") {
    if (await getStorage().head(begun.rawKey))
      return { kind: "raw", rawKey: begun.rawKey, reused: true, spec: specOf(begun.batch, begun.cell) };
    begun = await beginAttempt(db, ref, { ...call, reuseRaw: false });
  }
  if (begun.kind === "missing") return { kind: "skipped", status: "cancelled" };
  if (begun.kind === "terminal") return { kind: "skipped", status: begun.cell.status };
  if (begun.kind === "over-budget") {
    const reason = `budget of ${formatUsd(begun.budget)} reached (${formatUsd(begun.spent)} spent)`;
    await cancelBatch(db, ref.batchId, { reason, scope: "queued" });
    // If the cancel did not end this cell (it had started before), it fails with the reason; either way
    // the batch finishes when nothing is left.
    await failCell(db, begun.cell.id, { error: reason, errorKind: "budget" }, { finishBatch: true });
    return { kind: "skipped", status: "cancelled" };
  }
  if (begun.kind !== "started") return { kind: "skipped", status: "cancelled" };
  const { batch, cell } = begun;
  const known = { cell, version: begun.version };

  const input = batch.input;
  const model = getModel(ref.model);
  const canvas = getCanvas(isCanvasId(input.canvas) ? input.canvas : DEFAULT_CANVAS_ID);
  const size = pickSize(model, canvas);
  const prompt = buildPrompt({
    title: cell.prompt,
    style: input.style as StyleId,
    context: input.context ?? undefined,
    extraPrompt: input.extraPrompt ?? undefined,
  });
  try {
    const result = await getProvider(ref.model).generate({
      model: ref.model,
      prompt,
      width: size.width,
      height: size.height,
      quality: input.quality && model.qualities.includes(input.quality) ? input.quality : undefined,
      style: input.style,
      // A new take must be a new picture from renderers that honour a seed (the first keeps its seed).
      seed: ref.promptIndex + cell.take * 65_536,
    });
    const key = rawImageKey(result.bytes, result.mime);
    // Side by side: should the write fail after the key is recorded, reuse finds no blob and generates.
    const [, recorded] = await Promise.all([
      getStorage().put(key, result.bytes, {
        contentType: result.mime,
        cacheControlMaxAge: IMMUTABLE_MAX_AGE,
      }),
      recordAttemptResult(
        db,
        cell.id,
        {
          attempt,
          round: cell.round,
          outcome: "ok",
          requestId: result.requestId,
          costUsd: result.costUsd,
          rawKey: key,
        },
        known,
      ),
    ]);
    permit.succeeded();
    keepRaw(key, result.bytes);
    const written =
      recorded.applied && recorded.cell && recorded.version
        ? { written: storeKnownCell({ cell: recorded.cell, version: recorded.version }) }
        : {};
    return { kind: "raw", rawKey: key, reused: false, spec: { ...specOf(batch, cell), ...written } };
  } catch (err) {
    const provider = isProviderError(err) ? err : null;
    if (provider?.reason === "rate_limited") permit.rateLimited();
    const retryable = provider ? provider.retryable : true;
    const message = provider?.message ?? (err as Error).message ?? String(err);
    await recordAttemptResult(
      db,
      cell.id,
      {
        attempt,
        round: cell.round,
        outcome: retryable && !lastAttempt ? "retry" : "failed",
        error: message,
        errorKind: provider?.reason ?? "internal",
        requestId: provider?.requestId ?? null,
      },
      known,
    );
    throw new AttemptFailed(message, retryable, provider?.retryAfterMs ?? null);
  }
}

/** List price of the cell's call, at the size and quality the model will be asked for. */
function listPrice(batch: BatchRow, ref: CellRef): number {
  const { canvas, quality } = batch.input;
  const model = getModel(ref.model);
  const size = pickSize(model, getCanvas(isCanvasId(canvas) ? canvas : DEFAULT_CANVAS_ID));
  return estimateCost(model, quality && model.qualities.includes(quality) ? quality : undefined, size.id);
}

function specOf(batch: BatchRow, cell: CellRow): ComposeSpec {
  const { template, font, canvas } = batch.input;
  return { cellId: cell.id, title: cell.prompt, template, font, canvas, take: cell.take, round: cell.round };
}

/** The spec from the database, for a generate result memoized before results carried it. */
async function loadSpec(db: Db, ref: CellRef): Promise<ComposeSpec> {
  const batch = await getBatchRow(db, ref.batchId);
  const cell = batch && (await findCell(db, ref.batchId, ref.promptIndex, ref.model));
  if (!batch || !cell)
    throw new Error(`cell ${ref.batchId}/${ref.promptIndex}/${ref.model} no longer exists`);
  return specOf(batch, cell);
}

/** Step "compose": crop, set the title, store the final under its deterministic key. */
export async function composeStep(db: Db, ref: CellRef, raw: string, given?: ComposeSpec) {
  const spec = given ?? (await loadSpec(db, ref));
  const storage = getStorage();
  const bytes = takeRaw(raw) ?? (await storage.get(raw))?.bytes;
  if (!bytes) throw new Error(`raw image ${raw} is missing from storage`);
  const canvas = getCanvas(isCanvasId(spec.canvas) ? spec.canvas : DEFAULT_CANVAS_ID);
  const out = await composeThumbnail({
    image: bytes,
    title: spec.title,
    template: spec.template as TemplateId,
    font: spec.font as FontId,
    canvas,
  });
  const take = spec.take ?? 0;
  const key = finalImageKey({
    batchId: ref.batchId,
    promptIndex: ref.promptIndex,
    modelId: ref.model,
    mime: out.mime,
    take,
    ...(take > 0 ? { tag: takeKeyTag(ref.batchId, ref.promptIndex, ref.model, take) } : {}),
  });
  await storage.put(key, out.bytes, { contentType: out.mime });
  return {
    cellId: spec.cellId,
    ...(spec.round === undefined ? {} : { round: spec.round }),
    ...(spec.written ? { written: spec.written } : {}),
    finalKey: key,
    rawKey: raw,
    width: out.width,
    height: out.height,
    bytes: out.bytes.length,
  };
}

/** Step "record": the cell succeeded; finish the batch when it was the last one. */
export type ComposedImage = Awaited<ReturnType<typeof composeStep>>;

export async function recordStep(db: Db, image: ComposedImage) {
  const known = image.written && reviveKnownCell(image.written);
  const change = await completeCell(db, image.cellId, image, { finishBatch: true, known });
  if (!change.cell) return { status: "cancelled" as const, finalKey: null };
  // Whatever the cell still shows or keeps (its picture, a take's previous one, its other takes) stays,
  // e.g. when this step runs again after its owner switched to another take.
  const kept = new Set(blobKeys([change.cell]));
  if (!change.applied && !kept.has(image.finalKey)) {
    // Cancelled while composing (or a new take ended meanwhile and its cell went back to the previous
    // picture): this image must not linger in storage.
    await getStorage().delete(image.finalKey);
    // A take's picture that arrived after its cell went back to the previous one is kept by no cell
    // (a late picture of an ordinary cancelled cell is: it stays on the cell, for resume).
    if (!kept.has(image.rawKey)) {
      const [orphan] = await unsharedKeys(db, [image.rawKey]);
      if (orphan) await getStorage().delete(orphan);
    }
  }
  if (change.applied && change.dropped?.length) await dropOtherTakes(db, change.dropped, kept);
  return { status: change.cell.status, finalKey: change.applied ? image.finalKey : null };
}

/**
 * A new take succeeded and the picture it replaced leads the other takes: the oldest ones past
 * OTHER_TAKES_KEPT go (never a key the cell still holds), their raw images unless a cell still uses them.
 */
async function dropOtherTakes(db: Db, old: readonly PreviousImage[], kept: ReadonlySet<string>) {
  const keys = old.flatMap((p) => [p.finalKey, p.rawKey]).filter((k): k is string => !!k && !kept.has(k));
  const unused = await unsharedKeys(db, [...new Set(keys)]);
  await Promise.all(unused.map((key) => getStorage().delete(key)));
}

/** Step "record-failure": retries are exhausted or the failure is permanent. */
export async function recordFailureStep(db: Db, ref: CellRef, error: string, kind: string) {
  const known = await readCell(db, ref);
  if (known)
    await failCell(
      db,
      known.cell.id,
      { error, errorKind: kind, round: ref.round },
      { finishBatch: true, known },
    );
  else await finishBatchIfDone(db, ref.batchId);
}
