import type { FaultKind } from "@/lib/simulator/profile";

export type SimProvider = "openai" | "google";

/** What a provider route extracted from a request, in simulator terms. */
export interface SimCall {
  provider: SimProvider;
  model: string;
  prompt: string;
  width: number;
  height: number;
  format: "png" | "jpeg" | "webp";
  /** Provider-specific extras for the reply (quality, aspect ratio, image size). */
  meta: Record<string, string>;
}

export interface SimReply {
  status: number;
  headers: Record<string, string>;
  body: string | Buffer;
}

export interface ProviderRoute {
  provider: SimProvider;
  /** Returns the model id from the path when this route serves the request. */
  match(method: string, path: string): { model?: string } | null;
  authorized(headers: Record<string, string | string[] | undefined>): boolean;
  /** Parses the request; a SimReply means the request itself is invalid (answered like the real API). */
  parse(
    body: Buffer,
    contentType: string,
    pathModel: string | undefined,
    url: string,
  ): Promise<SimCall | SimReply>;
  success(call: SimCall, requestId: string): Promise<SimReply>;
  fault(
    kind: Exclude<FaultKind, "timeout">,
    call: SimCall | null,
    requestId: string,
    retryAfterMs: number,
  ): SimReply;
}

export type SimOutcome =
  "pending" | "ok" | FaultKind | "inflight_cap" | "bad_request" | "unauthorized" | "client_closed";

export interface SimRequestRecord {
  seq: number;
  provider: SimProvider;
  model: string;
  /** 1 for the first request with this (provider, model, prompt), 2 for the next, … */
  attempt: number;
  /** Retry count the SDK itself reported (OpenAI X-Stainless-Retry-Count); 0 when absent. */
  sdkRetryCount: number;
  promptHash: string;
  outcome: SimOutcome;
  status: number | null;
  startedAt: number;
  endedAt: number | null;
  requestId: string;
}

export function json(status: number, value: unknown, headers: Record<string, string> = {}): SimReply {
  return { status, headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(value) };
}

/** Retry hints in both units; OpenAI's SDK prefers retry-after-ms, browsers and proxies know retry-after. */
export function retryHeaders(ms: number): Record<string, string> {
  return {
    "retry-after-ms": String(Math.round(ms)),
    "retry-after": String(Math.max(1, Math.ceil(ms / 1000))),
  };
}
