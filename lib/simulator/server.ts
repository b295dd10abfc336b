/**
 * The provider simulator: one node:http server that imitates OpenAI's Images API and Gemini's
 * generateContent closely enough that the real SDKs, pointed at it through their base-URL settings, work
 * unchanged. It injects latency and faults per profile, caps requests in flight like a real account, and
 * records every request for tests and benchmarks.
 */
import { createHash, randomBytes } from "node:crypto";
import http, { type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { geminiRoute } from "@/lib/simulator/gemini-route";
import { openAiRoute } from "@/lib/simulator/openai-route";
import {
  createRng,
  parseMarkers,
  resolveProfile,
  type FaultKind,
  type SimProfile,
} from "@/lib/simulator/profile";
import {
  json,
  type ProviderRoute,
  type SimOutcome,
  type SimReply,
  type SimRequestRecord,
} from "@/lib/simulator/types";

export interface StartSimulatorOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  host?: string;
  profile?: string | Partial<SimProfile>;
}

export interface SimStats {
  total: number;
  byOutcome: Partial<Record<SimOutcome, number>>;
  inflight: Record<"openai" | "google", number>;
  maxInflight: Record<"openai" | "google", number>;
}

export interface Simulator {
  url: string;
  port: number;
  /** Live list of every request received since start (or the last reset). */
  readonly requests: readonly SimRequestRecord[];
  readonly profile: SimProfile;
  readonly stats: SimStats;
  /** A profile name replaces the profile; a partial object is merged into the current one. */
  setProfile(profile: string | Partial<SimProfile>): void;
  /**
   * Holds every answer (or those whose prompt `which` picks), once its latency has passed, until the
   * returned function is called: a test's way to act while calls are surely out. One hold at a time.
   */
  hold(which?: (prompt: string) => boolean): () => void;
  /** Clears records, attempt counters and peak figures, and reseeds the RNG. */
  reset(): void;
  close(): Promise<void>;
}

const ROUTES: ProviderRoute[] = [openAiRoute, geminiRoute];
const IMMEDIATE: ReadonlySet<FaultKind> = new Set(["rate_limit", "quota", "auth", "invalid"]);
const MAX_BODY_BYTES = 64 * 1024 * 1024;

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) req.destroy(new Error("body too large"));
      else chunks.push(chunk);
    });
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

export async function startSimulator(options: StartSimulatorOptions = {}): Promise<Simulator> {
  let profile = resolveProfile(options.profile ?? "fast");
  let rng = createRng(profile.seed);
  let records: SimRequestRecord[] = [];
  let attempts = new Map<string, number>();
  const inflight = { openai: 0, google: 0 };
  let maxInflight = { openai: 0, google: 0 };
  let seq = 0;
  let held: { until: Promise<void>; release: () => void; which: (prompt: string) => boolean } | null = null;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? "/", "http://sim").pathname;
    const method = req.method ?? "GET";
    let closed = false;
    res.on("close", () => {
      if (!res.writableEnded) closed = true;
    });
    const send = (reply: SimReply) => {
      if (closed || res.writableEnded) return;
      res.writeHead(reply.status, { ...reply.headers, "content-length": Buffer.byteLength(reply.body) });
      res.end(reply.body);
    };

    let route: ProviderRoute | undefined;
    let pathModel: string | undefined;
    for (const r of ROUTES) {
      const m = r.match(method, path);
      if (m) [route, pathModel] = [r, m.model];
    }
    if (!route) {
      if (method === "GET" && path === "/") return send(json(200, { ok: true, profile }));
      return send(
        json(404, { error: { message: `No route for ${method} ${path}`, type: "invalid_request_error" } }),
      );
    }

    const body = await readBody(req);
    const requestId = `req_sim_${++seq}_${randomBytes(4).toString("hex")}`;
    const record: SimRequestRecord = {
      seq,
      provider: route.provider,
      model: pathModel ?? "unknown",
      attempt: 0,
      sdkRetryCount: Number(req.headers["x-stainless-retry-count"] ?? 0) || 0,
      promptHash: "",
      outcome: "pending",
      status: null,
      startedAt: Date.now(),
      endedAt: null,
      requestId,
    };
    records.push(record);
    const finish = (outcome: SimOutcome, reply: SimReply | null) => {
      record.outcome = closed && outcome === "ok" ? "client_closed" : outcome;
      record.status = reply && !closed ? reply.status : null;
      record.endedAt = Date.now();
      if (reply) send(reply);
    };

    if (!route.authorized(req.headers))
      return finish("unauthorized", route.fault("auth", null, requestId, 0));
    const call = await route.parse(body, String(req.headers["content-type"] ?? ""), pathModel, path);
    if ("status" in call) return finish("bad_request", call);

    record.model = call.model;
    record.promptHash = createHash("sha256").update(call.prompt).digest("hex").slice(0, 16);
    const attemptKey = `${call.provider}|${call.model}|${record.promptHash}`;
    record.attempt = (attempts.get(attemptKey) ?? 0) + 1;
    attempts.set(attemptKey, record.attempt);

    const provider = call.provider;
    if (profile.inflightCap !== null && inflight[provider] >= profile.inflightCap) {
      return finish("inflight_cap", route.fault("rate_limit", call, requestId, profile.retryAfterMs));
    }
    // Only admitted requests count as in flight, so maxInflight shows the concurrency the account served.
    inflight[provider] += 1;
    maxInflight[provider] = Math.max(maxInflight[provider], inflight[provider]);
    try {
      const markers = parseMarkers(call.prompt);
      let fault: FaultKind | null = null;
      if (markers.fault && record.attempt <= markers.fault.times) fault = markers.fault.kind;
      else if (!markers.fault) fault = drawFault(profile, rng());
      const [min, max] = profile.latencyMs;
      const latency = markers.latencyMs ?? (min + (max - min) * rng()) * profile.timeScale;

      if (fault === "timeout") {
        // Hang until the client gives up, as an overloaded upstream does.
        if (!closed) await new Promise<void>((resolve) => res.once("close", () => resolve()));
        return finish("timeout", null);
      }
      if (fault && IMMEDIATE.has(fault))
        return finish(fault, route.fault(fault, call, requestId, profile.retryAfterMs));
      await sleepUnlessClosed(latency, res);
      if (held?.which(call.prompt)) await unlessClosed(held.until, res);
      if (closed) return finish("client_closed", null);
      if (fault) return finish(fault, route.fault(fault, call, requestId, profile.retryAfterMs));
      return finish("ok", await route.success(call, requestId));
    } finally {
      inflight[provider] -= 1;
    }
  }

  const server = http.createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) {
        res.writeHead(500, { "content-type": "application/json" });
        res.end(
          JSON.stringify({ error: { message: `simulator failure: ${String(error)}`, type: "server_error" } }),
        );
      }
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = options.host && options.host !== "0.0.0.0" ? options.host : "127.0.0.1";

  return {
    url: `http://${host}:${address.port}`,
    port: address.port,
    get requests() {
      return records;
    },
    get profile() {
      return profile;
    },
    get stats() {
      const byOutcome: SimStats["byOutcome"] = {};
      for (const r of records) byOutcome[r.outcome] = (byOutcome[r.outcome] ?? 0) + 1;
      return { total: records.length, byOutcome, inflight: { ...inflight }, maxInflight: { ...maxInflight } };
    },
    setProfile(next) {
      profile = typeof next === "string" ? resolveProfile(next) : resolveProfile(profile, next);
      rng = createRng(profile.seed);
    },
    hold(which = () => true) {
      if (held) throw new Error("the simulator is holding answers already: release that hold first");
      let open = () => {};
      const gate = {
        which,
        until: new Promise<void>((resolve) => (open = resolve)),
        release: () => {
          if (held === gate) held = null;
          open();
        },
      };
      held = gate;
      return gate.release;
    },
    reset() {
      records = [];
      attempts = new Map();
      maxInflight = { ...inflight };
      rng = createRng(profile.seed);
    },
    close() {
      held?.release();
      return new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

function drawFault(profile: SimProfile, roll: number): FaultKind | null {
  let acc = 0;
  for (const [kind, rate] of Object.entries(profile.faults) as [FaultKind, number][]) {
    acc += rate;
    if (roll < acc) return kind;
  }
  return null;
}

function sleepUnlessClosed(ms: number, res: ServerResponse): Promise<void> {
  if (ms <= 0) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      res.off("close", done);
      resolve();
    }
    res.once("close", done);
  });
}

/** Resolves once `until` has, or at once when the client hangs up. */
function unlessClosed(until: Promise<void>, res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off("close", done);
      resolve();
    };
    res.once("close", done);
    void until.then(done);
  });
}
