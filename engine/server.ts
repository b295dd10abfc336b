import http from "node:http";
import path from "node:path";
import { bearerAllowed, eventKeyAllowed } from "./auth";
import { Core } from "./core";
import { checkpointAsync } from "./checkpoint";
import {
  ABSOLUTE_MAX_STEPS,
  DEFAULT_MAX_EVENT_BYTES,
  DEFAULT_MAX_STEPS,
  MAX_RUN_STATE_BYTES,
} from "./limits";
import { cancelRun, EventInputError, ingest } from "./events";
import { createLogger, errText, type LogSink } from "./log";
import { listRuns, runJson } from "./read-api";
import { DEFAULT_MAX_FINISHED } from "./store";
import { registerApp, Syncer } from "./sync";

export interface EngineOptions {
  /** 0 picks a free port. Default 8288 (the dev server's). */
  port?: number;
  host?: string;
  dataDir?: string;
  /** Serve URLs of apps to sync at start and every `syncIntervalMs`. */
  appUrls?: string[];
  retryBaseMs?: number;
  /** How long connection failures to the app are retried before they count as a failed attempt. */
  transportWindowMs?: number;
  /** Max time one call to the app may take before it counts as a failed attempt. */
  callTimeoutMs?: number;
  syncIntervalMs?: number;
  maxFinishedRuns?: number;
  /** Accept the SDK's async checkpointing (several sequential steps per call). Default true. */
  checkpointing?: boolean;
  /** Journal size that triggers compaction (snapshot + new segment). Default 32 MiB. */
  journalMaxBytes?: number;
  /** Steps one run may have before it fails, as on Inngest Cloud. Default 1,000; at most 10,000. */
  maxSteps?: number;
  /** Bytes of state one run may hold before it fails, as on Inngest Cloud. Default 32 MiB. */
  maxStateBytes?: number;
  /**
   * Bytes one sent event may have (its JSON), as on Inngest Cloud: a send with a bigger one is refused
   * whole (400). Default 256 KiB (Cloud's free plan; its paid plans take 3 MiB).
   */
  maxEventBytes?: number;
  /**
   * Calls to apps executing at once across all runs, like an Inngest plan's concurrent-step limit
   * (sleeping and waiting runs do not count). Default 0: no limit.
   */
  maxCalls?: number;
  /**
   * Inngest Cloud behaviour: every request to an app is signed with it (`X-Inngest-Signature`) and
   * register/checkpoint/`/v1` requests must carry it as the SDK's bearer. Unset: dev server (no auth).
   */
  signingKey?: string;
  /** Also accepted as bearer (key rotation). */
  signingKeyFallback?: string;
  /** Only this key is accepted in `POST /e/:key` (else any). */
  eventKey?: string;
  /** The time cron schedules are read against (default Date.now); tests move it near a minute's end. */
  cronClock?: () => number;
  log?: LogSink;
}

export interface EngineHandle {
  url: string;
  port: number;
  /** Syncs (or re-syncs) an app by its serve URL and keeps it in the periodic sync list. */
  syncApp(url: string): Promise<void>;
  close(): Promise<void>;
  core: Core;
}

const VERSION = "thumbnail-studio-engine/1";

/** A request body past readBody's limit: answered 413, not as malformed input (400). */
class BodyTooLargeError extends Error {
  override name = "BodyTooLargeError";
}

async function readBody(req: http.IncomingMessage, limit = 10 * 1024 * 1024): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req) {
    size += (c as Buffer).length;
    if (size > limit) throw new BodyTooLargeError(`request body larger than ${limit} bytes`);
    chunks.push(c as Buffer);
  }
  return Buffer.concat(chunks).toString("utf8");
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

function send(
  res: http.ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/json",
    "content-length": Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

export async function startEngine(opts: EngineOptions = {}): Promise<EngineHandle> {
  if (opts.signingKeyFallback && !opts.signingKey) throw new Error("signingKeyFallback needs signingKey");
  const maxSteps = opts.maxSteps ?? DEFAULT_MAX_STEPS;
  if (!Number.isInteger(maxSteps) || maxSteps < 1 || maxSteps > ABSOLUTE_MAX_STEPS)
    throw new Error(`maxSteps must be an integer from 1 to ${ABSOLUTE_MAX_STEPS}`);
  const maxStateBytes = opts.maxStateBytes ?? MAX_RUN_STATE_BYTES;
  if (!Number.isInteger(maxStateBytes) || maxStateBytes < 1)
    throw new Error("maxStateBytes must be a positive whole number");
  const maxEventBytes = opts.maxEventBytes ?? DEFAULT_MAX_EVENT_BYTES;
  if (!Number.isInteger(maxEventBytes) || maxEventBytes < 1)
    throw new Error("maxEventBytes must be a positive whole number");
  if (opts.maxCalls !== undefined && (!Number.isInteger(opts.maxCalls) || opts.maxCalls < 0))
    throw new Error("maxCalls must be a whole number (0: no limit)");
  const log = createLogger(opts.log);
  const core = new Core({
    dataDir: path.resolve(opts.dataDir ?? ".data/engine"),
    retryBaseMs: opts.retryBaseMs ?? 1000,
    transportWindowMs: opts.transportWindowMs ?? 5 * 60_000,
    callTimeoutMs: opts.callTimeoutMs ?? 30 * 60_000,
    maxFinishedRuns: opts.maxFinishedRuns ?? DEFAULT_MAX_FINISHED,
    checkpointing: opts.checkpointing ?? true,
    journalMaxBytes: opts.journalMaxBytes ?? 32 * 1024 * 1024,
    maxSteps,
    maxStateBytes,
    maxEventBytes,
    maxCalls: opts.maxCalls ?? 0,
    keys: {
      signingKey: opts.signingKey || undefined,
      signingKeyFallback: opts.signingKeyFallback || undefined,
      eventKey: opts.eventKey || undefined,
    },
    cronClock: opts.cronClock ?? Date.now,
    log,
  });
  const keys = core.opts.keys;
  await core.open();
  // Apps known from the journal are re-synced too, so a restarted engine picks up code changes.
  const syncer = new Syncer(
    core,
    new Set([...(opts.appUrls ?? []), ...[...core.store.apps.values()].map((a) => a.url)]),
  );
  const started = Date.now();

  const server = http.createServer((req, res) => {
    void route(req, res).catch((err) => {
      if (err instanceof EventInputError) send(res, 400, { error: err.message, status: 400 });
      // The rest of the body is left unread: close the connection rather than read it to reuse it.
      else if (err instanceof BodyTooLargeError)
        send(res, 413, { error: err.message, status: 413 }, { connection: "close" });
      else {
        log(`request ${req.method} ${req.url} failed: ${errText(err)}`);
        if (!res.headersSent) send(res, 500, { error: errText(err), status: 500 });
      }
    });
  });
  server.keepAliveTimeout = 65_000;

  async function route(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const u = new URL(req.url ?? "/", "http://engine");
    const p = u.pathname.replace(/\/+$/, "") || "/";
    const m = req.method ?? "GET";
    const eventPath = /^\/e\/([^/]+)$/.exec(p);
    if (eventPath && m === "POST" && !eventKeyAllowed(safeDecode(eventPath[1] ?? ""), keys)) {
      return send(res, 401, {
        error: "event key not found: send events with the engine's INNGEST_EVENT_KEY",
        status: 401,
      });
    }
    const api = p === "/fn/register" || /^\/v[01]\//.test(p);
    if (api && !bearerAllowed(req.headers.authorization, keys)) {
      return send(res, 401, {
        error:
          "unauthorized: this engine needs Authorization: Bearer <INNGEST_SIGNING_KEY, plain or hashed as the SDK sends it>",
        status: 401,
      });
    }
    if (m === "POST" && eventPath) {
      const text = await readBody(req);
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        return send(res, 400, {
          error: "body must be JSON: an event object or an array of events",
          status: 400,
        });
      }
      const seed = req.headers["x-inngest-event-id-seed"];
      const ids = await ingest(
        core,
        Array.isArray(body) ? body : [body],
        typeof seed === "string" ? seed : undefined,
      );
      return send(res, 200, { ids, status: 200 });
    }
    if (m === "POST" && p === "/fn/register") {
      const text = await readBody(req);
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        return send(res, 400, { status: 400, error: "body must be JSON" });
      }
      const r = await registerApp(core, body);
      if (r.status === 200 && typeof (body as { url?: unknown }).url === "string")
        syncer.add((body as { url: string }).url);
      return send(res, r.status, {
        ok: r.status === 200,
        status: r.status,
        modified: r.modified,
        ...(r.error ? { error: r.error } : {}),
      });
    }
    const cp = /^\/v1\/checkpoint\/([^/]+)\/async$/.exec(p);
    if (m === "POST" && cp) {
      const text = await readBody(req);
      const bytes = Buffer.byteLength(text);
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        return send(res, 400, { error: "body must be JSON" });
      }
      const r = await checkpointAsync(core, decodeURIComponent(cp[1] ?? ""), body, bytes);
      return send(res, r.status, r.body);
    }
    if (m === "POST" && /^\/v1\/checkpoint(\/[^/]+\/steps)?$/.test(p)) {
      return send(res, 501, {
        error: "sync-mode checkpointing (durable endpoints) is not supported by the local engine",
      });
    }
    if (m === "GET" && p === "/health") {
      const runs = [...core.store.runs.values()];
      return send(res, 200, {
        ok: true,
        version: VERSION,
        uptime_s: Math.round((Date.now() - started) / 1000),
        apps: [...core.store.apps.values()].map((a) => ({
          app_id: a.appId,
          url: a.url,
          functions: a.functions.map((f) => f.id),
          synced_at: new Date(a.syncedAt).toISOString(),
        })),
        sync_errors: syncer.errors(),
        runs: { total: runs.length, active: runs.filter((r) => core.store.isActive(r)).length },
        queue: { ready: core.scheduler.queued, in_flight: core.scheduler.inFlight },
        journal_bytes: core.journal.size,
      });
    }
    if (m === "GET" && p === "/v1/runs") {
      const r = listRuns(core, u.searchParams);
      return "error" in r ? send(res, 400, r) : send(res, 200, r);
    }
    const one = /^\/v1\/runs\/([^/]+)(\/cancel)?$/.exec(p);
    if (one) {
      const run = core.store.runs.get(decodeURIComponent(one[1] ?? ""));
      if (!run) return send(res, 404, { error: `run ${one[1]} not found` });
      if (m === "GET" && !one[2]) return send(res, 200, { data: runJson(core, run, true) });
      if ((m === "DELETE" && !one[2]) || (m === "POST" && one[2])) {
        // A finished run cannot be cancelled: say so, with the run as it ended, rather than a 200 that
        // reads as if the cancel took effect.
        if (!core.store.isActive(run)) {
          const data = runJson(core, run, true);
          return send(res, 409, { error: `run ${run.id} has already ended (${data.status})`, data });
        }
        await cancelRun(core, run, "cancelled via API");
        return send(res, 200, { data: runJson(core, run, true) });
      }
    }
    if (m === "GET" && p === "/") return send(res, 200, { name: VERSION, docs: "engine/README.md" });
    send(res, 404, { error: `no route ${m} ${p}` });
  }

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port ?? 8288, opts.host ?? "127.0.0.1", () => resolve());
  });
  const addr = server.address();
  const port = typeof addr === "object" && addr ? addr.port : (opts.port ?? 8288);
  const url = `http://${opts.host ?? "127.0.0.1"}:${port}`;
  const auth = keys.signingKey
    ? `cloud mode: signing calls, API needs the signing key, ${keys.eventKey ? "one event key" : "any event key"}`
    : "dev mode: no signing";
  log(`listening on ${url} (data ${path.resolve(opts.dataDir ?? ".data/engine")}; ${auth})`);
  syncer.start(opts.syncIntervalMs ?? 10_000);

  return {
    url,
    port,
    core,
    async syncApp(appUrl: string) {
      await syncer.syncOne(appUrl);
    },
    async close() {
      syncer.stop();
      core.close();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
      await core.journal.close();
      log("stopped");
    },
  };
}
