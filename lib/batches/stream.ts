/**
 * Server-Sent Events for one batch: replays the change log after Last-Event-ID (or ?after=; all of it for
 * none, or for an id past the batch's newest), then follows it by polling the database (works the same on
 * PGlite and on Postgres behind several app instances).
 * Each message carries the full new state of what changed, so a replayed message is harmless.
 */
import {
  batchProgress,
  callsOutAfterCancelBothUntil,
  callsOutAfterCancelUntil,
  eventsSince,
  getBatchRow,
  getDb,
  takesByModel,
  isTerminalBatch,
  latestEventId,
  waitForBatchEvent,
  type BatchEvent,
  type CellView,
} from "@/lib/db";
import { callWindowMs } from "./call-window";
import { checkBatchRun } from "./check-run";
import { cellForVisitors, toCellDto } from "./dto";
import { estimateByModel } from "./estimate";
import type { BatchSummary, LiveMessage } from "./live";
import { LOOKUP_EVERY_MS } from "./reconcile";
import { urlFor } from "./blob-url";
import { requestOrServerStop } from "@/lib/server-stop";

const POLL_MS = 300;
const GATHER_MS = 40;
const PAGE = 500;
const HEARTBEAT_MS = 15_000;

type CallsOut = { cells: number; until: number };
type OutCounts = Required<Pick<BatchSummary, "callsOut" | "cancelledCallsOut">>;

/** How many calls of `out` may still land now: all until the last one's window has passed. */
const stillOut = (out: CallsOut) => (out.until > Date.now() ? out.cells : 0);

function frame(id: number | null, msg: LiveMessage): string {
  return `${id === null ? "" : `id: ${id}\n`}data: ${JSON.stringify(msg)}\n\n`;
}

/**
 * `owner`: the reader owns the batch (visitors' cells carry no other take, see cellForVisitors). The
 * stream ends when `request` is aborted, and also when the server is asked to stop (lib/server-stop):
 * an open stream would otherwise keep the server from stopping; its reader reconnects.
 */
export function batchEventStream(
  batchId: string,
  after: number,
  request: AbortSignal,
  owner = false,
): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let last = after;
  return new ReadableStream({
    async start(controller) {
      const { signal, release } = requestOrServerStop(request);
      const send = (text: string) => controller.enqueue(encoder.encode(text));
      send("retry: 2000\n\n");
      let lastBeat = Date.now();
      // An open page watches a stuck batch without reloading: its stream checks the run (throttled, so
      // right after the page render's own check this costs one small query).
      let nextRunCheck = 0;
      // Calls from before a cancel that may still land: read again after any change (which may be one
      // landing), else kept until the window passes. `out`: every finished cell's, once the batch has
      // ended; `cancelledOut`: the cancelled cells', which a resume waits for, while it runs too.
      let out: CallsOut | null = null;
      let cancelledOut: CallsOut | null = null;
      // Their counts as this stream last sent them; null: not sent (the reader has its own read's).
      let outSent: OutCounts | null = null;
      // The estimate as this stream first read it, then as it last sent it: a take asked for (by the
      // owner in another tab, seen by a visitor) or ending uncalled moves it while the page is open.
      let estimateSeen: number | null = null;
      try {
        const db = await getDb();
        // An id past the batch's newest event is none this stream sent (another batch's, a guess, one from
        // a database since restored): from there nothing would come but the end. Start from the beginning,
        // as a new connection does. A real id is never past it: the events are read after they committed.
        if (last > 0 && last > (await latestEventId(db, batchId))) last = 0;
        while (!signal.aborted) {
          const events = await eventsSince(db, batchId, last, PAGE);
          if (events.length > 0) [out, cancelledOut] = [null, null];
          let summary: BatchSummary | null = null;
          for (const event of events) {
            last = event.id;
            const msg = await toMessage(event, owner, async () => (summary ??= await readSummary(batchId)));
            if (msg) send(frame(event.id, msg));
          }
          if (events.length === PAGE) continue;
          if (events.length > 0 && events.every((e) => e.type.startsWith("cell."))) {
            // Cells are changing: gather the next few changes into one read rather than one read each.
            await pause(GATHER_MS, signal);
            continue;
          }
          // Quiet, or the batch itself changed (finished, cancelled, …): is it over?
          const progress = await batchProgress(db, batchId);
          if (progress && estimateSeen !== null && progress.estimatedCostUsd !== estimateSeen) {
            const batch = await readSummary(batchId, true);
            if (batch) send(frame(null, { kind: "batch", batch }));
          }
          if (progress) estimateSeen = progress.estimatedCostUsd;
          // A batch that was cancelled is watched until the calls from before its cancel have landed. A
          // cancelled new take leaves its batch succeeded, so any finished batch is asked.
          const ended = !!progress && isTerminalBatch(progress.status) && progress.unfinished === 0;
          const counts: OutCounts = { callsOut: 0, cancelledCallsOut: 0 };
          // Once ended, one read gives both counts; while running, only the cancelled cells' are asked.
          if (ended && !out)
            ({ all: out, cancelled: cancelledOut } = await callsOutAfterCancelBothUntil(
              db,
              batchId,
              callWindowMs(),
            ));
          if (ended && out) counts.callsOut = stillOut(out);
          if (progress) {
            cancelledOut ??= await callsOutAfterCancelUntil(
              db,
              batchId,
              callWindowMs(),
              Date.now(),
              "cancelled",
            );
            counts.cancelledCallsOut = stillOut(cancelledOut);
          }
          // Their counts as they change: the page offers a resume once no cancelled cell's is left (the
          // server refuses it before, so nothing is paid for twice). A batch that never had any sends
          // nothing of them.
          const sent = outSent ?? { callsOut: 0, cancelledCallsOut: 0 };
          if (
            progress &&
            (counts.callsOut !== sent.callsOut || counts.cancelledCallsOut !== sent.cancelledCallsOut)
          ) {
            const batch = await readSummary(batchId);
            if (batch) send(frame(null, { kind: "batch", batch: { ...batch, ...counts } }));
            outSent = counts;
          }
          const done = !progress || (ended && counts.callsOut === 0);
          if (done) {
            send(frame(null, { kind: "end" }));
            break;
          }
          if (Date.now() >= nextRunCheck) {
            nextRunCheck = Date.now() + LOOKUP_EVERY_MS;
            await checkBatchRun(batchId);
          }
          if (Date.now() - lastBeat > HEARTBEAT_MS) {
            send(": keep-alive\n\n");
            lastBeat = Date.now();
          }
          if (events.length === 0 && (await waitForBatchEvent(batchId, POLL_MS, signal)))
            await pause(GATHER_MS, signal);
        }
      } catch (err) {
        if (!signal.aborted)
          send(`event: error\ndata: ${JSON.stringify({ message: (err as Error).message })}\n\n`);
      } finally {
        release();
      }
      controller.close();
    },
  });
}

/** Waits `ms` or until the request ends; leaves no listener behind on the long-lived signal. */
export function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener("abort", done, { once: true });
  });
}

/** The batch's summary; `estimate`: with its estimate, whole and per model (one more read, of takes). */
async function readSummary(batchId: string, estimate = false): Promise<BatchSummary | null> {
  const db = await getDb();
  const b = await getBatchRow(db, batchId);
  if (!b) return null;
  const estimated = estimate
    ? {
        estimatedCostUsd: Number(b.estimatedCostUsd),
        estimatedByModel: estimateByModel(b.input, await takesByModel(db, batchId)),
      }
    : {};
  return {
    ...estimated,
    status: b.status,
    startedAt: b.startedAt?.toISOString() ?? null,
    finishedAt: b.finishedAt?.toISOString() ?? null,
    actualCostUsd: Number(b.actualCostUsd),
    cancelReason: b.cancelReason,
    notices: b.notices,
  };
}

async function toMessage(
  event: BatchEvent,
  owner: boolean,
  summary: () => Promise<BatchSummary | null>,
): Promise<LiveMessage | null> {
  const p = event.payload;
  switch (p.type) {
    case "cell.updated": {
      const cell = toCellDto(p.cell as CellView, urlFor);
      const cost = p.batchCostUsd === undefined ? {} : { batchCostUsd: p.batchCostUsd };
      return { kind: "cell", cell: owner ? cell : cellForVisitors(cell), ...cost };
    }
    case "cell.deleted":
      return { kind: "cell-deleted", cellId: p.cellId };
    default: {
      const batch = await summary();
      return batch ? { kind: "batch", batch } : null;
    }
  }
}
