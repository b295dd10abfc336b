/**
 * Server-Sent Events for one batch: replays the change log after Last-Event-ID (or ?after=; all of it for
 * none, or for an id past the batch's newest), then follows it by polling the database (works the same on
 * PGlite and on Postgres behind several app instances).
 * Each message carries the full new state of what changed, so a replayed message is harmless.
 */
import {
  batchProgress,
  callsOutAfterCancelUntil,
  eventsSince,
  getBatchRow,
  getDb,
  isTerminalBatch,
  latestEventId,
  waitForBatchEvent,
  type BatchEvent,
  type CellView,
} from "@/lib/db";
import { callWindowMs } from "./call-window";
import { checkBatchRun } from "./check-run";
import { cellForVisitors, toCellDto } from "./dto";
import type { BatchSummary, LiveMessage } from "./live";
import { LOOKUP_EVERY_MS } from "./reconcile";
import { urlFor } from "./blob-url";

const POLL_MS = 300;
const GATHER_MS = 40;
const PAGE = 500;
const HEARTBEAT_MS = 15_000;

function frame(id: number | null, msg: LiveMessage): string {
  return `${id === null ? "" : `id: ${id}\n`}data: ${JSON.stringify(msg)}\n\n`;
}

/** `owner`: the reader owns the batch (visitors' cells carry no other take, see cellForVisitors). */
export function batchEventStream(
  batchId: string,
  after: number,
  signal: AbortSignal,
  owner = false,
): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let last = after;
  return new ReadableStream({
    async start(controller) {
      const send = (text: string) => controller.enqueue(encoder.encode(text));
      send("retry: 2000\n\n");
      let lastBeat = Date.now();
      // An open page watches a stuck batch without reloading: its stream checks the run (throttled, so
      // right after the page render's own check this costs one small query).
      let nextRunCheck = 0;
      // Calls from before a cancel that may still land: read again after any change (which may be one
      // landing), else kept until the window passes.
      let out: { cells: number; until: number } | null = null;
      // Their count as this stream last sent it; null: not sent (the reader has its own read's).
      let outSent: number | null = null;
      try {
        const db = await getDb();
        // An id past the batch's newest event is none this stream sent (another batch's, a guess, one from
        // a database since restored): from there nothing would come but the end. Start from the beginning,
        // as a new connection does. A real id is never past it: the events are read after they committed.
        if (last > 0 && last > (await latestEventId(db, batchId))) last = 0;
        while (!signal.aborted) {
          const events = await eventsSince(db, batchId, last, PAGE);
          if (events.length > 0) out = null;
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
          // A batch that was cancelled is watched until the calls from before its cancel have landed. A
          // cancelled new take leaves its batch succeeded, so any finished batch is asked.
          const ended = !!progress && isTerminalBatch(progress.status) && progress.unfinished === 0;
          let callsOut = 0;
          if (ended) {
            out ??= await callsOutAfterCancelUntil(db, batchId, callWindowMs());
            callsOut = out.until > Date.now() ? out.cells : 0;
          }
          // Their count as it changes: the page offers a resume once none is left (the server refuses
          // it before, so nothing is paid for twice). A batch that never had any sends nothing of it.
          if (progress && callsOut !== (outSent ?? 0)) {
            const batch = await readSummary(batchId);
            if (batch) send(frame(null, { kind: "batch", batch: { ...batch, callsOut } }));
            outSent = callsOut;
          }
          const done = !progress || (ended && callsOut === 0);
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

async function readSummary(batchId: string): Promise<BatchSummary | null> {
  const b = await getBatchRow(await getDb(), batchId);
  if (!b) return null;
  return {
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
