/**
 * The public JSON shape of a batch: what GET /api/batches/:id returns, what the batch page renders and what
 * live updates patch. Internal columns (blob keys, attempt rounds) stay out; image URLs are resolved here.
 */
import type { BatchRow, BatchStatus, CellRow, CellStatus } from "@/lib/db/schema";
import { otherTakeId } from "@/lib/db/take-id";

export interface CellDto {
  id: string;
  promptIndex: number;
  prompt: string;
  model: string;
  status: CellStatus;
  imageUrl: string | null;
  width: number | null;
  height: number | null;
  error: string | null;
  errorKind: string | null;
  /** On a finished image: why the last new take asked for it did not replace it. */
  note: string | null;
  /** New takes asked for after the first picture (0: none); every take is a new picture from the model. */
  take: number;
  /** While a new take is made: the picture the cell keeps if it does not succeed. */
  previousUrl: string | null;
  /**
   * On a finished image: its other takes, most recently shown first (pictures its new takes replaced,
   * or that it showed before a switch), which its owner can switch to by `id`.
   */
  otherTakes: OtherTake[];
  /** The first other take's URL, or null (kept for clients written when a cell had one other take). */
  alternateUrl: string | null;
  attempts: number;
  /** A generated picture is stored for this cell: restyling composes from it instead of paying again. */
  reusable: boolean;
  requestIds: string[];
  costUsd: number;
  durationMs: number | null;
  startedAt: string | null;
  finishedAt: string | null;
  /** The cell's last change (status, attempt, result): how recently the workflow touched it. */
  updatedAt: string | null;
}

export interface OtherTake {
  /** Names the take in a switch request (see otherTakeId). */
  id: string;
  url: string;
}

export interface BatchCounts {
  total: number;
  done: number;
  queued: number;
  running: number;
  retrying: number;
  succeeded: number;
  failed: number;
  cancelled: number;
}

export interface BatchDto {
  id: string;
  status: BatchStatus;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  prompts: string[];
  models: string[];
  style: string;
  template: string;
  font: string;
  canvas: string;
  quality: string | null;
  context: string;
  extraPrompt: string;
  estimatedCostUsd: number;
  /** List-price estimate per model, made when the batch was submitted. */
  estimatedByModel: Record<string, number>;
  actualCostUsd: number;
  budgetUsd: number | null;
  cancelReason: string | null;
  notices: string[];
  /** The batch whose pictures this one reuses with another template, font, canvas or titles. */
  restyledFrom: string | null;
  counts: BatchCounts;
  /**
   * Cancelled cells whose provider call from before the cancel may still land (its picture and cost
   * are kept); the batch page keeps listening for them.
   */
  callsOut: number;
  /**
   * Of those, the cancelled cells' calls, counted while the batch runs too: a resume is refused until
   * none is left (a cancelled new take's call does not hold it back; its cell is not resumed).
   */
  cancelledCallsOut: number;
  cells: CellDto[];
  /**
   * results[promptIndex][modelIndex]: the image URL (during a new take, the picture kept meanwhile), or
   * null while pending or when the cell failed.
   */
  results: (string | null)[][];
}

/** Turns a blob key into a URL; `version` busts caches when a deterministic key is rewritten. */
export type UrlFor = (key: string, version: string) => string;

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function toCellDto(cell: CellRow | CellLike, urlFor: UrlFor): CellDto {
  const finishedAt = typeof cell.finishedAt === "string" ? cell.finishedAt : iso(cell.finishedAt);
  const startedAt = typeof cell.startedAt === "string" ? cell.startedAt : iso(cell.startedAt);
  const imageUrl =
    cell.status === "succeeded" && cell.finalKey
      ? urlFor(cell.finalKey, String(Date.parse(finishedAt ?? "") || 0))
      : null;
  const others = cell.others ?? legacyOthers(cell);
  const otherTakes =
    cell.status === "succeeded"
      ? others.map((o) => ({ id: otherTakeId(o), url: pictureUrl(o, urlFor) }))
      : [];
  return {
    id: cell.id,
    promptIndex: cell.promptIndex,
    prompt: cell.prompt,
    model: cell.model,
    status: cell.status,
    imageUrl,
    width: cell.width,
    height: cell.height,
    error: cell.status === "succeeded" ? null : cell.lastError,
    errorKind: cell.status === "succeeded" ? null : cell.errorKind,
    note: cell.status === "succeeded" && cell.errorKind === "take" ? cell.lastError : null,
    take: cell.take ?? 0,
    previousUrl: cell.previous && cell.status !== "succeeded" ? pictureUrl(cell.previous, urlFor) : null,
    otherTakes,
    alternateUrl: otherTakes[0]?.url ?? null,
    attempts: cell.attempts,
    reusable: cell.rawKey !== null,
    requestIds: cell.requestIds,
    costUsd: Number(cell.costUsd),
    durationMs: cell.durationMs,
    startedAt,
    finishedAt,
    updatedAt: typeof cell.updatedAt === "string" ? cell.updatedAt : iso(cell.updatedAt ?? null),
  };
}

/**
 * A cell as a visitor (not its batch's owner) sees it: without its other takes, pictures its owner
 * replaced, which only the owner may switch back to.
 */
export function cellForVisitors(cell: CellDto): CellDto {
  return cell.otherTakes.length === 0 ? cell : { ...cell, otherTakes: [], alternateUrl: null };
}

export function batchForVisitors(batch: BatchDto): BatchDto {
  return { ...batch, cells: batch.cells.map(cellForVisitors) };
}

function pictureUrl(image: NonNullable<CellRow["previous"]>, urlFor: UrlFor): string {
  return urlFor(image.finalKey, String(Date.parse(image.finishedAt ?? "") || 0));
}

/** A cell as carried by a live event (dates already ISO strings). */
export type CellLike = Omit<CellRow, "startedAt" | "finishedAt" | "createdAt" | "updatedAt" | "others"> & {
  startedAt: string | null;
  finishedAt: string | null;
  /** Absent in events written before cells carried it. */
  updatedAt?: string;
  /** Absent in events written before cells had takes. */
  take?: number;
  previous?: CellRow["previous"];
  /** Absent in events written before cells kept several other takes. */
  others?: CellRow["others"];
  /** In events written when a cell kept one other take. */
  alternate?: CellRow["previous"];
};

/** The other takes of a cell from an event written before cells kept several. */
function legacyOthers(cell: CellRow | CellLike): CellRow["others"] {
  const one = "alternate" in cell ? cell.alternate : null;
  return one ? [one] : [];
}

export function countCells(cells: readonly { status: CellStatus }[]): BatchCounts {
  const c: BatchCounts = {
    total: cells.length,
    done: 0,
    queued: 0,
    running: 0,
    retrying: 0,
    succeeded: 0,
    failed: 0,
    cancelled: 0,
  };
  for (const cell of cells) {
    c[cell.status] += 1;
    if (cell.status === "succeeded" || cell.status === "failed" || cell.status === "cancelled") c.done += 1;
  }
  return c;
}

export function resultsMatrix(
  prompts: readonly string[],
  models: readonly string[],
  cells: readonly CellDto[],
) {
  const rows = prompts.map(() => models.map((): string | null => null));
  for (const cell of cells) {
    const m = models.indexOf(cell.model);
    const row = rows[cell.promptIndex];
    // A cell working on a new take still shows the picture it had.
    if (row && m >= 0) row[m] = cell.imageUrl ?? cell.previousUrl;
  }
  return rows;
}

export function toBatchDto(
  batch: BatchRow,
  cells: readonly CellRow[],
  urlFor: UrlFor,
  estimatedByModel: Record<string, number> = {},
  out: { callsOut: number; cancelledCallsOut: number } = { callsOut: 0, cancelledCallsOut: 0 },
): BatchDto {
  const input = batch.input;
  const cellDtos = cells.map((c) => toCellDto(c, urlFor));
  return {
    id: batch.id,
    status: batch.status,
    createdAt: batch.createdAt.toISOString(),
    startedAt: iso(batch.startedAt),
    finishedAt: iso(batch.finishedAt),
    prompts: input.prompts,
    models: input.models,
    style: input.style,
    template: input.template,
    font: input.font,
    canvas: input.canvas,
    quality: input.quality ?? null,
    context: input.context ?? "",
    extraPrompt: input.extraPrompt ?? "",
    estimatedCostUsd: Number(batch.estimatedCostUsd),
    estimatedByModel,
    actualCostUsd: Number(batch.actualCostUsd),
    budgetUsd: batch.budgetUsd === null ? null : Number(batch.budgetUsd),
    cancelReason: batch.cancelReason,
    notices: batch.notices,
    restyledFrom: input.restyledFrom ?? null,
    counts: countCells(cellDtos),
    ...out,
    cells: cellDtos,
    results: resultsMatrix(input.prompts, input.models, cellDtos),
  };
}
