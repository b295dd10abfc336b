/**
 * Database schema (Postgres dialect; runs unchanged on PGlite and on a real server).
 * Change it, then run `npx drizzle-kit generate && npx tsx lib/db/embed-migrations.ts`.
 */
import { sql } from "drizzle-orm";
import {
  bigint,
  check,
  index,
  integer,
  jsonb,
  numeric,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
} from "drizzle-orm/pg-core";

export const BATCH_STATUSES = ["queued", "running", "succeeded", "partial", "failed", "cancelled"] as const;
export type BatchStatus = (typeof BATCH_STATUSES)[number];
export const TERMINAL_BATCH_STATUSES: readonly BatchStatus[] = [
  "succeeded",
  "partial",
  "failed",
  "cancelled",
];

export const CELL_STATUSES = ["queued", "running", "retrying", "succeeded", "failed", "cancelled"] as const;
export type CellStatus = (typeof CELL_STATUSES)[number];
export const TERMINAL_CELL_STATUSES: readonly CellStatus[] = ["succeeded", "failed", "cancelled"];

/** What the person asked for, as validated by the shared input schema. */
export interface BatchInput {
  prompts: string[];
  models: string[];
  style: string;
  template: string;
  font: string;
  canvas: string;
  quality?: string | null;
  context?: string | null;
  extraPrompt?: string | null;
  budgetUsd?: number | null;
  /** Set on a restyled batch: the batch whose generated pictures it composes from. */
  restyledFrom?: string | null;
}

/**
 * A picture a cell had. As `previous`: the one it had when its owner asked for a new take, shown again
 * if the take does not succeed (fails, is cancelled, or its run is lost). Among `others`: a take its
 * owner can switch to (a picture a successful take replaced, or one shown before a switch).
 */
export interface PreviousImage {
  rawKey: string | null;
  finalKey: string;
  width: number | null;
  height: number | null;
  bytes: number | null;
  startedAt: string | null;
  finishedAt: string | null;
  durationMs: number | null;
  /**
   * Only on `previous`: the list price this take added to the batch's estimate, taken off it again if the
   * take ends before its provider call goes out (absent on takes asked for before it was kept: 0).
   */
  takePriceUsd?: number;
}

/** interrupted: a newer attempt started before this one recorded a result (e.g. the process died). */
export type AttemptOutcome = "running" | "ok" | "retry" | "failed" | "interrupted";

/** One provider call. `round` counts retry-failed runs of the cell; `attempt` is the caller's number. */
export interface AttemptLogEntry {
  round: number;
  attempt: number;
  startedAt: string;
  endedAt?: string;
  outcome: AttemptOutcome;
  error?: string;
  errorKind?: string;
  requestId?: string;
  costUsd?: number;
  /**
   * List price reserved against the batch's budget while the call is out (only with a budget). Removed
   * when the reservation is let go past the call window (reconcileReserved): a late result releases nothing.
   */
  reservedUsd?: number;
}

// Literal list for CHECK constraints (drizzle-kit needs inline SQL, not bound parameters).
const inList = (values: readonly string[]) => sql.raw(`(${values.map((v) => `'${v}'`).join(", ")})`);

// Milliseconds precision everywhere: JS Dates round-trip exactly, so keyset cursors never skip rows.
const ts = (name: string) => timestamp(name, { withTimezone: true, precision: 3, mode: "date" });
const usd = (name: string) => numeric(name, { precision: 14, scale: 6, mode: "number" });

/**
 * Other takes a cell keeps besides the picture it shows: a successful take beyond this many deletes the
 * oldest (its thumbnail, and its raw picture unless another cell still composes from it).
 */
export const OTHER_TAKES_KEPT = 4;

export const batches = pgTable(
  "batches",
  {
    id: text("id").primaryKey(),
    createdAt: ts("created_at").notNull().defaultNow(),
    updatedAt: ts("updated_at").notNull().defaultNow(),
    input: jsonb("input").$type<BatchInput>().notNull(),
    status: text("status", { enum: BATCH_STATUSES }).notNull().default("queued"),
    startedAt: ts("started_at"),
    finishedAt: ts("finished_at"),
    estimatedCostUsd: usd("estimated_cost_usd").notNull().default(0),
    actualCostUsd: usd("actual_cost_usd").notNull().default(0),
    // Cost of cells deleted from the gallery, kept so spend and budgets stay right after deletion.
    removedCostUsd: usd("removed_cost_usd").notNull().default(0),
    budgetUsd: usd("budget_usd"),
    // List price of the paid provider calls under way, reserved against the budget as each goes out
    // (see reserveCall in cells.ts): each call's own share is on its attempt log entry (reservedUsd).
    reservedUsd: usd("reserved_usd").notNull().default(0),
    cancelReason: text("cancel_reason"),
    notices: jsonb("notices").$type<string[]>().notNull().default([]),
    // The workflow run that owns this round of the batch: a second run (the batch sent again while
    // the first event was still somewhere) finds it taken and does nothing.
    runId: text("run_id"),
  },
  (t) => [
    index("batches_created_idx").on(t.createdAt.desc(), t.id.desc()),
    check("batches_status_ck", sql`${t.status} in ${inList(BATCH_STATUSES)}`),
  ],
);

/**
 * Each batch's titles, one row each (also those without a cell: a restyle leaves out titles with no
 * stored picture), for the batch list's search. Migration 0007 fills it for older batches and adds a
 * trigram index on the title where the server has pg_trgm (not declared here: it is conditional).
 */
export const batchTitles = pgTable(
  "batch_titles",
  {
    batchId: text("batch_id")
      .notNull()
      .references(() => batches.id, { onDelete: "cascade" }),
    promptIndex: integer("prompt_index").notNull(),
    title: text("title").notNull(),
  },
  (t) => [primaryKey({ name: "batch_titles_pk", columns: [t.batchId, t.promptIndex] })],
);

export const cells = pgTable(
  "cells",
  {
    id: text("id").primaryKey(),
    batchId: text("batch_id")
      .notNull()
      .references(() => batches.id, { onDelete: "cascade" }),
    promptIndex: integer("prompt_index").notNull(),
    prompt: text("prompt").notNull(),
    model: text("model").notNull(),
    // Copied from the batch input so gallery filters can use plain indexes.
    style: text("style").notNull(),
    template: text("template").notNull(),
    font: text("font").notNull(),
    status: text("status", { enum: CELL_STATUSES }).notNull().default("queued"),
    round: integer("round").notNull().default(0),
    attempts: integer("attempts").notNull().default(0),
    lastError: text("last_error"),
    errorKind: text("error_kind"),
    requestIds: jsonb("request_ids").$type<string[]>().notNull().default([]),
    attemptLog: jsonb("attempt_log").$type<AttemptLogEntry[]>().notNull().default([]),
    rawKey: text("raw_key"),
    finalKey: text("final_key"),
    // New takes asked for after the cell succeeded (0: the first picture); it seeds the renderers that
    // honour a seed and keys the final image, so a take never overwrites the picture it may fall back to.
    take: integer("take").notNull().default(0),
    // Of those takes, the ones that ended (cancelled, or their run lost) before their provider call went
    // out: they cost nothing, so the batch's estimate leaves them out.
    uncalledTakes: integer("uncalled_takes").notNull().default(0),
    previous: jsonb("previous").$type<PreviousImage>(),
    // The other takes, most recently shown first (at most OTHER_TAKES_KEPT): pictures a successful take
    // replaced, kept so their owner can switch back to one (the picture shown then leads the list).
    others: jsonb("others").$type<PreviousImage[]>().notNull().default([]),
    width: integer("width"),
    height: integer("height"),
    bytes: integer("bytes"),
    createdAt: ts("created_at").notNull().defaultNow(),
    updatedAt: ts("updated_at").notNull().defaultNow(),
    startedAt: ts("started_at"),
    finishedAt: ts("finished_at"),
    durationMs: integer("duration_ms"),
    costUsd: usd("cost_usd").notNull().default(0),
  },
  (t) => [
    check("cells_status_ck", sql`${t.status} in ${inList(CELL_STATUSES)}`),
    uniqueIndex("cells_batch_prompt_model_uq").on(t.batchId, t.promptIndex, t.model),
    index("cells_gallery_idx")
      .on(t.finishedAt.desc(), t.id.desc())
      .where(sql`${t.status} = 'succeeded'`),
    index("cells_gallery_model_idx")
      .on(t.model, t.finishedAt.desc(), t.id.desc())
      .where(sql`${t.status} = 'succeeded'`),
    index("cells_gallery_style_idx")
      .on(t.style, t.finishedAt.desc(), t.id.desc())
      .where(sql`${t.status} = 'succeeded'`),
    // Migration 0006 also adds cells_prompt_trgm_idx (pg_trgm, for gallery search) where the server has the
    // extension; it is not declared here because it is conditional (drizzle-kit push would drop it).
    index("cells_gallery_template_idx")
      .on(t.template, t.finishedAt.desc(), t.id.desc())
      .where(sql`${t.status} = 'succeeded'`),
    // Whether a raw image is still used by some cell (deleting a take's old picture, a batch, orphans).
    index("cells_raw_key_idx")
      .on(t.rawKey)
      .where(sql`${t.rawKey} is not null`),
    index("cells_previous_raw_key_idx")
      .on(sql`(${t.previous}->>'rawKey')`)
      .where(sql`${t.previous} is not null`),
    index("cells_other_raw_keys_idx")
      .using("gin", sql`jsonb_path_query_array(${t.others}, '$[*].rawKey')`)
      .where(sql`${t.others} <> '[]'::jsonb`),
  ],
);

export const batchEvents = pgTable(
  "batch_events",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    batchId: text("batch_id")
      .notNull()
      .references(() => batches.id, { onDelete: "cascade" }),
    type: text("type").notNull(),
    payload: jsonb("payload").$type<Record<string, unknown>>().notNull(),
    createdAt: ts("created_at").notNull().defaultNow(),
  },
  (t) => [index("batch_events_batch_idx").on(t.batchId, t.id)],
);

/**
 * Small counters the whole deployment shares, by name: `session_epoch` (lib/session-epoch.ts) is in every
 * studio session cookie, and raising it signs every browser out.
 */
export const appCounters = pgTable("app_counters", {
  name: text("name").primaryKey(),
  value: bigint("value", { mode: "number" }).notNull(),
  updatedAt: ts("updated_at").notNull().defaultNow(),
});

export type BatchRow = typeof batches.$inferSelect;
export type CellRow = typeof cells.$inferSelect;
export type BatchEventRow = typeof batchEvents.$inferSelect;
