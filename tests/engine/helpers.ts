import http from "node:http";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { Inngest, type InngestFunction } from "inngest";
import { serve } from "inngest/node";
import { startEngine, type EngineHandle, type EngineOptions } from "@/engine/server";

/** Real SDK client pointed at an engine, with its logs silenced. */
export function makeClient(id: string, engineUrl: string): Inngest {
  const quiet = { info() {}, warn() {}, error() {}, debug() {} };
  return new Inngest({ id, isDev: true, baseUrl: engineUrl, logger: quiet, internalLogger: quiet });
}

export interface App {
  url: string;
  close(): Promise<void>;
}

/** Serves functions through the official `inngest/node` adapter on an ephemeral port. */
export async function serveApp(client: Inngest, functions: InngestFunction.Any[], port = 0): Promise<App> {
  const handler = serve({ client, functions });
  const server = http.createServer((req, res) => void handler(req, res));
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((r) => server.listen(port, "127.0.0.1", () => r()));
  const addr = server.address();
  const p = typeof addr === "object" && addr ? addr.port : port;
  return {
    url: `http://127.0.0.1:${p}/api/inngest`,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

export function tempDir(prefix: string): { dir: string; cleanup(): void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), `engine-${prefix}-`));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export async function engineFor(
  prefix: string,
  opts: EngineOptions = {},
): Promise<EngineHandle & { cleanup(): Promise<void> }> {
  const t = tempDir(prefix);
  const e = await startEngine({
    port: 0,
    dataDir: t.dir,
    retryBaseMs: 20,
    log: process.env.ENGINE_TEST_LOG ? undefined : false,
    ...opts,
  });
  return {
    ...e,
    cleanup: async () => {
      await e.close();
      t.cleanup();
    },
  };
}

export interface RunView {
  id: string;
  function_id: string;
  status: string;
  output: unknown;
  error: { name: string; message: string } | null;
  event: { id: string; name: string; data: Record<string, unknown> };
  parent_run_id: string | null;
  steps?: {
    id: string;
    name: string;
    status: string;
    attempts: { attempt: number; started_at: string; ended_at: string | null; error: unknown }[];
  }[];
}

/** `bearer`: the signing key, for an engine started with one. */
export async function getJson<T>(url: string, bearer?: string): Promise<T> {
  const res = await fetch(url, bearer ? { headers: { authorization: `Bearer ${bearer}` } } : {});
  if (!res.ok) throw new Error(`${url}: HTTP ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

export async function listRuns(
  engineUrl: string,
  query: Record<string, string>,
  bearer?: string,
): Promise<RunView[]> {
  const q = new URLSearchParams({ limit: "10000", ...query });
  return (await getJson<{ data: RunView[] }>(`${engineUrl}/v1/runs?${q}`, bearer)).data;
}

export async function getRun(engineUrl: string, id: string, bearer?: string): Promise<RunView> {
  return (await getJson<{ data: RunView }>(`${engineUrl}/v1/runs/${id}`, bearer)).data;
}

/** Polls until `fn` returns a non-undefined value (or throws after `timeoutMs`). */
export async function until<T>(
  what: string,
  fn: () => Promise<T | undefined> | T | undefined,
  timeoutMs = 30_000,
  everyMs = 25,
): Promise<T> {
  const end = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v !== undefined) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ""}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** Waits until every run of a function is finished and there are `count` of them. */
export async function runsFinished(
  engineUrl: string,
  functionId: string,
  count: number,
  timeoutMs = 60_000,
  bearer?: string,
): Promise<RunView[]> {
  return until(
    `${count} finished runs of ${functionId}`,
    async () => {
      const runs = await listRuns(engineUrl, { function_id: functionId }, bearer);
      return runs.length >= count && runs.every((r) => r.status !== "Running") ? runs : undefined;
    },
    timeoutMs,
  );
}

/** Tracks how many bodies run at once, per key. */
export class Gauge {
  now = new Map<string, number>();
  max = new Map<string, number>();
  async track<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const n = (this.now.get(key) ?? 0) + 1;
    this.now.set(key, n);
    this.max.set(key, Math.max(this.max.get(key) ?? 0, n));
    try {
      return await fn();
    } finally {
      this.now.set(key, (this.now.get(key) ?? 1) - 1);
    }
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
