/**
 * Asks the Inngest server whether a workflow run still exists: `GET /v1/runs/{runId}` of the REST API, on
 * the local engine (engine/server.ts) or on Inngest Cloud. The answer only ever ends a batch when it is
 * definite; anything doubtful is "unknown", and the caller leaves the batch alone.
 */
import { inngest } from "@/inngest/client";

export type EndedRunStatus = "Completed" | "Failed" | "Cancelled";

export type RunStatus =
  | { state: "running" }
  | { state: "ended"; status: EndedRunStatus }
  /** The server answered that it has no such run (its state was lost, or the run was deleted). */
  | { state: "missing" }
  /** Unreachable, refused, timed out or an unexpected answer: never act on it. */
  | { state: "unknown"; reason: string };

export interface RunApiConfig {
  /** Base of the REST API, e.g. http://127.0.0.1:8288/ or https://api.inngest.com/. */
  baseUrl: string;
  mode: "dev" | "cloud";
  signingKey?: string;
  /** Tried when the signing key is refused (a key rotation in progress). */
  signingKeyFallback?: string;
  /** Inngest environment (branch) name, sent as x-inngest-env. */
  environment?: string | null;
  timeoutMs?: number;
}

export const RUN_LOOKUP_TIMEOUT_MS = 2_500;

const ENDED = new Set<string>(["Completed", "Failed", "Cancelled"]);
// Cloud reports runs waiting to start as Queued; the local engine already maps that to Running.
const ACTIVE = new Set<string>(["Running", "Queued", "Paused"]);

/**
 * The server the app's functions run on, resolved by the Inngest client itself (INNGEST_DEV,
 * INNGEST_API_BASE_URL / INNGEST_BASE_URL, INNGEST_SIGNING_KEY(_FALLBACK), INNGEST_ENV), so the lookup
 * always goes where the runs are.
 */
export function runApiConfig(client: typeof inngest = inngest): RunApiConfig {
  return {
    baseUrl: client.apiBaseUrl,
    mode: client.mode,
    signingKey: client.signingKey,
    signingKeyFallback: client.signingKeyFallback,
    environment: client.env,
  };
}

export async function fetchRunStatus(runId: string, config: RunApiConfig): Promise<RunStatus> {
  const keys = [config.signingKey, config.signingKeyFallback].filter((k): k is string => !!k?.trim());
  // Inngest Cloud answers nothing without a key; an unauthenticated 401 would tell us nothing anyway.
  if (config.mode === "cloud" && keys.length === 0)
    return { state: "unknown", reason: "no INNGEST_SIGNING_KEY to query Inngest Cloud with" };
  let url: URL;
  try {
    const base = config.baseUrl.endsWith("/") ? config.baseUrl : `${config.baseUrl}/`;
    url = new URL(`v1/runs/${encodeURIComponent(runId)}`, base);
  } catch {
    return { state: "unknown", reason: `bad API base URL ${JSON.stringify(config.baseUrl)}` };
  }
  let status: RunStatus = { state: "unknown", reason: "not asked" };
  for (const key of keys.length > 0 ? keys : [undefined]) {
    status = await askOnce(url, key, config);
    const refused = status.state === "unknown" && /^HTTP 40[13]\b/.test(status.reason);
    if (!refused) break;
  }
  return status;
}

async function askOnce(url: URL, key: string | undefined, config: RunApiConfig): Promise<RunStatus> {
  const headers: Record<string, string> = { accept: "application/json" };
  if (key) headers.authorization = `Bearer ${key.trim()}`;
  if (config.environment) headers["x-inngest-env"] = config.environment;
  const timeoutMs = config.timeoutMs ?? RUN_LOOKUP_TIMEOUT_MS;
  let res: Response;
  let text: string;
  try {
    // The timeout covers the body too: a server that sends headers and then stalls is still "unknown".
    const signal = AbortSignal.timeout(timeoutMs);
    res = await fetch(url, { headers, signal, cache: "no-store" });
    text = await res.text();
  } catch (error) {
    const err = error as Error;
    const why = err.name === "TimeoutError" ? `no answer within ${timeoutMs} ms` : describe(err);
    return { state: "unknown", reason: why };
  }
  const body = parseJson(text);
  // A 404 from the API itself is JSON; an HTML or empty 404 is some other server (a proxy, a wrong
  // base URL) and says nothing about the run.
  if (res.status === 404)
    return body === undefined
      ? { state: "unknown", reason: "HTTP 404 that is not JSON" }
      : { state: "missing" };
  if (!res.ok) return { state: "unknown", reason: `HTTP ${res.status}` };
  const status = readStatus(body);
  if (status === undefined) return { state: "unknown", reason: "answer without data.status" };
  if (ENDED.has(status)) return { state: "ended", status: status as EndedRunStatus };
  if (ACTIVE.has(status)) return { state: "running" };
  return { state: "unknown", reason: `unexpected run status ${JSON.stringify(status)}` };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function readStatus(body: unknown): string | undefined {
  if (!body || typeof body !== "object") return undefined;
  const data = (body as { data?: unknown }).data;
  if (!data || typeof data !== "object") return undefined;
  const status = (data as { status?: unknown }).status;
  return typeof status === "string" ? status : undefined;
}

function describe(err: Error): string {
  const cause = (err as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? err.message;
}
