/**
 * A small client of the batch HTTP API (POST /api/batches, GET /api/batches/:id and its SSE stream), shared
 * by the CLI, the batch benchmark and the whole-stack tests so all three talk to the app the same way.
 */
import type { BatchDto } from "@/lib/batches/dto";
import type { BatchListItem as ServerListItem } from "@/lib/batches/service";
import { applyMessages, type LiveMessage } from "@/lib/batches/live";

export type { FieldIssue } from "@/lib/batches/input";
import type { FieldIssue } from "@/lib/batches/input";

export type SubmitOutcome =
  | { ok: true; id: string; url: string; ownerToken: string; batch: BatchDto }
  | { ok: false; status: number; error: string; issues: FieldIssue[] };

/** Thrown when the app cannot be reached at all (refused, DNS, timeout): a different failure from a 4xx. */
export class UnreachableError extends Error {
  constructor(url: string, cause: unknown) {
    const inner = (cause as { cause?: { code?: string; message?: string; errors?: { code?: string }[] } })
      ?.cause;
    const reason = inner?.code ?? inner?.errors?.[0]?.code ?? inner?.message ?? (cause as Error)?.message;
    super(`cannot reach the app at ${url} (${reason})`);
    this.name = "UnreachableError";
  }
}

/** A 4xx answer from the API, with its status (404: no such batch) and field issues. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly issues: FieldIssue[] = [],
  ) {
    super(message);
    this.name = "ApiError";
  }
}

/** The app is restarting or the event stream broke off (proxy timeout): reconnect rather than fail. */
class StreamDropped extends Error {}

export async function request(url: string, init?: RequestInit): Promise<Response> {
  try {
    return await fetch(url, init);
  } catch (err) {
    if ((err as Error).name === "AbortError") throw err;
    throw new UnreachableError(new URL(url).origin, err);
  }
}

export async function readError(res: Response): Promise<{ error: string; issues: FieldIssue[] }> {
  const text = await res.text();
  try {
    const body = JSON.parse(text) as { error?: unknown; issues?: unknown };
    const issues = Array.isArray(body.issues) ? (body.issues as FieldIssue[]) : [];
    return { error: typeof body.error === "string" ? body.error : `HTTP ${res.status}`, issues };
  } catch {
    return { error: `HTTP ${res.status}: ${text.slice(0, 200)}`, issues: [] };
  }
}

/**
 * The studio password (STUDIO_PASSWORD on the client's side) for the calls that create work. Its own
 * header, not `Authorization`, which carries a batch's owner token on the owner-only calls.
 */
export function studioHeaders(password: string | undefined): Record<string, string> {
  const value = password?.trim();
  return value ? { "x-studio-password": value } : {};
}

/** The one line for a 401 from the app's password gate. */
export function passwordRefusal(password: string | undefined): string {
  return password?.trim()
    ? "the app refused the studio password: check STUDIO_PASSWORD (it must match the server's)"
    : "the app is password-protected: set STUDIO_PASSWORD to its studio password";
}

/** POSTs a batch request (named object or the seeds' positional array) as-is; the server validates it. */
export async function submitBatch(
  baseUrl: string,
  body: unknown,
  options: { studioPassword?: string } = {},
): Promise<SubmitOutcome> {
  const res = await request(new URL("/api/batches", baseUrl).toString(), {
    method: "POST",
    headers: { "content-type": "application/json", ...studioHeaders(options.studioPassword) },
    body: JSON.stringify(body),
  });
  if (res.status === 201) {
    const created = (await res.json()) as { id: string; url: string; ownerToken: string; batch: BatchDto };
    return { ok: true, ...created };
  }
  return { ok: false, status: res.status, ...(await readError(res)) };
}

/** One batch of GET /api/batches (newest first) as it arrives in JSON. */
export type BatchListItem = Omit<ServerListItem, "createdAt"> & { createdAt: string };

/**
 * One page of GET /api/batches. The list is behind the studio password when the app has one: a 401
 * throws ApiError with status 401, like any other refusal (400 for a bad status or cursor).
 */
export async function listBatchPage(
  baseUrl: string,
  query: { limit: number; status?: string; search?: string; cursor?: string | null },
  options: { studioPassword?: string } = {},
): Promise<{ batches: BatchListItem[]; nextCursor: string | null }> {
  const url = new URL("/api/batches", baseUrl);
  url.searchParams.set("limit", String(query.limit));
  if (query.status !== undefined) url.searchParams.set("status", query.status);
  if (query.search !== undefined) url.searchParams.set("q", query.search);
  if (query.cursor) url.searchParams.set("cursor", query.cursor);
  const res = await request(url.toString(), {
    cache: "no-store",
    headers: studioHeaders(options.studioPassword),
  });
  if (!res.ok) {
    const { error, issues } = await readError(res);
    throw new ApiError(res.status, error, issues);
  }
  return (await res.json()) as { batches: BatchListItem[]; nextCursor: string | null };
}

export async function fetchBatch(baseUrl: string, id: string): Promise<BatchDto> {
  return (await readBatchAt(baseUrl, id)).batch;
}

/** The batch and the id of the newest change it includes (the server's X-Last-Event-Id), if sent. */
async function readBatchAt(
  baseUrl: string,
  id: string,
): Promise<{ batch: BatchDto; lastEventId: string | null }> {
  const res = await request(new URL(`/api/batches/${id}`, baseUrl).toString(), { cache: "no-store" });
  if (res.status >= 500) throw new StreamDropped(`GET /api/batches/${id}: HTTP ${res.status}`);
  if (!res.ok) {
    const { error, issues } = await readError(res);
    throw new ApiError(res.status, `GET /api/batches/${id}: ${error}`, issues);
  }
  const lastEventId = res.headers.get("x-last-event-id");
  return {
    batch: (await res.json()) as BatchDto,
    lastEventId: lastEventId && /^\d+$/.test(lastEventId) ? lastEventId : null,
  };
}

export const TERMINAL_CELL = new Set(["succeeded", "failed", "cancelled"]);

export function isSettled(batch: Pick<BatchDto, "status" | "cells">): boolean {
  const terminal = ["succeeded", "partial", "failed", "cancelled"].includes(batch.status);
  return terminal && batch.cells.every((c) => TERMINAL_CELL.has(c.status));
}

/** Resolves every image URL of the matrix against the app's origin (the API returns paths in local mode). */
export function absoluteResults(baseUrl: string, batch: Pick<BatchDto, "results">): (string | null)[][] {
  return batch.results.map((row) => row.map((u) => (u === null ? null : new URL(u, baseUrl).toString())));
}

/**
 * How long a follower waits for an app that stopped answering: `npm start` rebuilding after an update
 * takes minutes on a small machine, and the batch goes on meanwhile (the engine retries its calls).
 */
export const FOLLOW_UNREACHABLE_MS = 5 * 60_000;

export interface FollowOptions {
  /** Called with the current state after the initial read and after every change. */
  onUpdate?: (batch: BatchDto) => void;
  /** How long the app may stay unreachable (e.g. restarting) before giving up. */
  unreachableMs?: number;
  /**
   * Told when the app stops answering (what failed, and how long it is waited for) and when it answers
   * again (null), so a follower does not sit silent on a frozen progress line.
   */
  onReachability?: (down: { reason: string; waitMs: number } | null) => void;
  signal?: AbortSignal;
}

/**
 * Follows a batch until every cell is terminal: live changes over SSE (resumed with Last-Event-ID after a
 * dropped connection), with a full re-read on every (re)connect so nothing missed in between is lost.
 * Returns the final state as read from GET /api/batches/:id.
 */
export async function followBatch(baseUrl: string, id: string, o: FollowOptions = {}): Promise<BatchDto> {
  const unreachableMs = o.unreachableMs ?? FOLLOW_UNREACHABLE_MS;
  let lastEventId: string | null = null;
  let downSince: number | null = null;
  // Whether onReachability heard of this outage (a stream cut off while the app answers is not one).
  let told = false;
  for (;;) {
    o.signal?.throwIfAborted();
    try {
      const read = await readBatchAt(baseUrl, id);
      let batch = read.batch;
      // Stream from the state just read: an older server without the header replays from the start
      // (or from the last event seen), and applyLive skips states older than what was read.
      lastEventId = read.lastEventId ?? lastEventId;
      o.onUpdate?.(batch);
      if (isSettled(batch)) {
        if (told) o.onReachability?.(null);
        return batch;
      }
      const headers: Record<string, string> = { accept: "text/event-stream" };
      if (lastEventId) headers["last-event-id"] = lastEventId;
      const res = await request(new URL(`/api/batches/${id}/events`, baseUrl).toString(), {
        headers,
        signal: o.signal,
      });
      if (!res.ok || !res.body) throw new StreamDropped(`events: HTTP ${res.status}`);
      // Back once the stream opens too: a server that is stopping may still answer a read on a kept
      // connection, refusing new ones, and must not count as back each time it does.
      if (told) o.onReachability?.(null);
      downSince = null;
      told = false;
      let ended = false;
      for await (const frame of sseFrames(res.body)) {
        if (frame.id) lastEventId = frame.id;
        if (!frame.data) continue;
        const msg = JSON.parse(frame.data) as LiveMessage;
        if (msg.kind === "end") {
          ended = true;
          break;
        }
        batch = applyLive(batch, msg);
        o.onUpdate?.(batch);
      }
      // The server says the batch is settled: read the final state now, no reconnect pause.
      if (ended) continue;
    } catch (err) {
      if ((err as Error).name === "AbortError") throw err;
      if (!(err instanceof UnreachableError) && !isDropped(err)) throw err;
      downSince ??= Date.now();
      if (Date.now() - downSince > unreachableMs) throw err;
      if (!told && (err instanceof UnreachableError || err instanceof StreamDropped)) {
        told = true;
        o.onReachability?.({ reason: (err as Error).message, waitMs: unreachableMs });
      }
    }
    await new Promise((r) => setTimeout(r, 500));
  }
}

function isDropped(err: unknown): boolean {
  if (err instanceof StreamDropped) return true;
  const text = `${(err as Error)?.message} ${(err as { cause?: Error })?.cause?.message ?? ""}`;
  return /terminated|socket|ECONNRESET|other side closed|fetch failed|HTTP 5\d\d/i.test(text);
}

/** One live message applied to the batch as followed (exported for its test). */
export function applyLive(batch: BatchDto, msg: LiveMessage): BatchDto {
  return msg.kind === "end" ? batch : applyMessages(batch, [msg]);
}

interface SseFrame {
  id: string | null;
  data: string;
}

async function* sseFrames(body: ReadableStream<Uint8Array>): AsyncGenerator<SseFrame> {
  const decoder = new TextDecoder();
  let buffer = "";
  for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) {
    buffer += decoder.decode(chunk, { stream: true });
    let end: number;
    while ((end = buffer.indexOf("\n\n")) >= 0) {
      const raw = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      let id: string | null = null;
      const data: string[] = [];
      for (const line of raw.split("\n")) {
        if (line.startsWith("id:")) id = line.slice(3).trim();
        else if (line.startsWith("data:")) data.push(line.slice(5).trimStart());
        else if (line.startsWith("event: error"))
          throw new StreamDropped("events: the server reported an error");
      }
      yield { id, data: data.join("\n") };
    }
  }
}
