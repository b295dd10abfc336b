/**
 * Error classification with BOTH real SDKs (openai, @google/genai) pointed at the simulator, for every fault
 * kind. SDK retries must be off: each failure is exactly one request at the simulator.
 */
import net from "node:net";
import { ApiError } from "@google/genai";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ProviderError, type ProviderErrorReason } from "@/lib/errors";
import { createGoogleProvider } from "@/lib/providers/google";
import { classifyGoogleError } from "@/lib/providers/google-errors";
import { createOpenAIProvider } from "@/lib/providers/openai";
import type { ImageProvider } from "@/lib/providers/types";
import { startSimulator, type Simulator } from "@/lib/simulator";

let sim: Simulator;
const providers: Record<
  "openai" | "google",
  { provider: () => ImageProvider; model: string; w: number; h: number }
> = {
  openai: {
    provider: () => createOpenAIProvider({ apiKey: "test", baseURL: `${sim.url}/v1`, timeoutMs: 400 }),
    model: "gpt-image-1-mini",
    w: 1536,
    h: 1024,
  },
  google: {
    provider: () => createGoogleProvider({ apiKey: "test", baseUrl: sim.url, timeoutMs: 400 }),
    model: "gemini-3-pro-image",
    w: 1376,
    h: 768,
  },
};

beforeAll(async () => {
  sim = await startSimulator({ profile: { retryAfterMs: 1500 } });
});
afterAll(async () => sim.close());
beforeEach(() => sim.reset());

async function rejection(promise: Promise<unknown>): Promise<ProviderError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ProviderError);
  return error as ProviderError;
}

async function failure(
  which: "openai" | "google",
  prompt: string,
  signal?: AbortSignal,
): Promise<ProviderError> {
  const p = providers[which];
  const error = await p
    .provider()
    .generate({ model: p.model, prompt, width: p.w, height: p.h, signal })
    .then(
      () => null,
      (e: unknown) => e,
    );
  expect(error).toBeInstanceOf(ProviderError);
  return error as ProviderError;
}

const cases: [string, ProviderErrorReason, "retryable" | "permanent"][] = [
  ["429", "rate_limited", "retryable"],
  ["quota", "quota", "permanent"],
  ["500", "server_error", "retryable"],
  ["503", "server_error", "retryable"],
  ["timeout", "timeout", "retryable"],
  ["moderation", "moderation_blocked", "permanent"],
  ["safety", "safety_blocked", "permanent"],
  ["prompt-blocked", "safety_blocked", "permanent"],
  ["malformed", "malformed_response", "retryable"],
  ["auth", "auth", "permanent"],
  ["invalid", "invalid_request", "permanent"],
];

describe.each(["openai", "google"] as const)("%s adapter against the simulator", (which) => {
  it.each(cases)("[sim:%s] → %s (%s), one request only", async (marker, reason, kind) => {
    const error = await failure(which, `A lighthouse at dusk [sim:${marker}]`);
    // OpenAI has no separate safety finish: every block is its moderation_blocked 400.
    const expected = which === "openai" && reason === "safety_blocked" ? "moderation_blocked" : reason;
    // Gemini has no moderation error: a blocked image is a 200 with finishReason IMAGE_SAFETY.
    const expectedG = which === "google" && reason === "moderation_blocked" ? "safety_blocked" : expected;
    expect(error.reason).toBe(expectedG);
    expect(error.kind).toBe(kind);
    expect(error.provider).toBe(which);
    expect(error.message.length).toBeGreaterThan(20);
    // The message is stored as a failed cell's last error too: whether it is retried is the cell's status.
    // (What the provider said is quoted as it came: Gemini's 500 says "Please retry".)
    expect(error.message.replace(/ (OpenAI|Gemini) said: .*$/, "")).not.toMatch(/retr(y|ied|ying)/i);
    if (marker !== "timeout") await expect.poll(() => sim.requests.length).toBe(1);
    expect(sim.requests[0]?.sdkRetryCount ?? 0).toBe(0);
    if (reason === "malformed_response") expect(error.maxRetries).toBe(1);
  });

  it("carries the provider's retry delay on 429", async () => {
    const error = await failure(which, "x [sim:429]");
    expect(error.retryAfterMs).toBe(1500);
    expect(error.status).toBe(429);
  });

  it("keeps the request id of failed calls when the provider sends one", async () => {
    const error = await failure(which, "x [sim:moderation]");
    if (which === "openai") expect(error.requestId).toMatch(/^req_sim_/);
    else expect(error.requestId).toBe(sim.requests[0]?.requestId);
    if (which === "openai") {
      // Even a body that cannot be parsed keeps its x-request-id, for the provider's support.
      const garbled = await failure(which, "x [sim:malformed]");
      expect(garbled.requestId).toBe(sim.requests[1]?.requestId);
    }
  });

  it("succeeds after a fault that only hits the first attempt", async () => {
    const p = providers[which];
    const provider = p.provider();
    const req = { model: p.model, prompt: "x [sim:500*1]", width: p.w, height: p.h };
    await expect(provider.generate(req)).rejects.toBeInstanceOf(ProviderError);
    const ok = await provider.generate(req);
    expect(ok.width).toBe(p.w);
    expect(sim.requests.map((r) => [r.attempt, r.outcome])).toEqual([
      [1, "server_error"],
      [2, "ok"],
    ]);
  });

  it("reports a cancelled call as cancelled, not as a timeout", async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const error = await failure(which, "x [sim:timeout]", controller.signal);
    expect(error.reason).toBe("cancelled");
    expect(error.kind).toBe("permanent");
  });

  it("classifies an unreachable endpoint as a retryable connection error", async () => {
    const port = await new Promise<number>((resolve) => {
      const s = net.createServer().listen(0, "127.0.0.1", () => {
        const { port } = s.address() as net.AddressInfo;
        s.close(() => resolve(port));
      });
    });
    const p = providers[which];
    const provider =
      which === "openai"
        ? createOpenAIProvider({ apiKey: "t", baseURL: `http://127.0.0.1:${port}/v1`, timeoutMs: 2000 })
        : createGoogleProvider({ apiKey: "t", baseUrl: `http://127.0.0.1:${port}`, timeoutMs: 2000 });
    const error = await rejection(
      provider.generate({ model: p.model, prompt: "x", width: p.w, height: p.h }),
    );
    expect(error).toBeInstanceOf(ProviderError);
    expect(error.reason).toBe("connection");
    expect(error.kind).toBe("retryable");
  });

  it("refuses a size that is not native to the model before calling anyone", async () => {
    const p = providers[which];
    const error = await rejection(
      p.provider().generate({ model: p.model, prompt: "x", width: 1200, height: 630 }),
    );
    expect(error.reason).toBe("invalid_request");
    expect(error.message).toMatch(/pickSize/);
    expect(sim.requests).toHaveLength(0);
  });
});

describe("Gemini error bodies", () => {
  it("reads RetryInfo on any status, and daily quota exhaustion is permanent", () => {
    const body = (code: number, status: string, details: unknown[]) =>
      new ApiError({
        status: code,
        message: JSON.stringify({ error: { code, message: "m", status, details } }),
      });
    const retryInfo = { "@type": "type.googleapis.com/google.rpc.RetryInfo", retryDelay: "2.5s" };
    expect(classifyGoogleError(body(503, "UNAVAILABLE", [retryInfo]), "m")).toMatchObject({
      reason: "server_error",
      retryAfterMs: 2500,
    });
    const limited = classifyGoogleError(body(429, "RESOURCE_EXHAUSTED", [retryInfo]), "m");
    expect(limited).toMatchObject({ reason: "rate_limited", kind: "retryable", retryAfterMs: 2500 });
    // The operator's advice follows the fact in the message; the fact alone is there for one-off commands.
    expect(limited.fact).toBe("Gemini rate limit reached for m (it asked to wait 2.5 s).");
    expect(limited.message).toBe(
      `${limited.fact} The app already sends fewer calls at once while Gemini refuses them; if cells still fail this way, the provider account's rate limit is the one to raise.`,
    );
    const perDay = { violations: [{ quotaId: "GenerateRequestsPerDayPerProjectPerModel" }] };
    expect(classifyGoogleError(body(429, "RESOURCE_EXHAUSTED", [perDay]), "m")).toMatchObject({
      reason: "quota",
      kind: "permanent",
    });
    expect(classifyGoogleError(body(403, "PERMISSION_DENIED", []), "m").reason).toBe("auth");
    expect(classifyGoogleError(body(404, "NOT_FOUND", []), "m").reason).toBe("invalid_request");
    for (const [code, status] of [
      [500, "INTERNAL"],
      [503, "UNAVAILABLE"],
      [504, "DEADLINE_EXCEEDED"],
      [429, "RESOURCE_EXHAUSTED"],
    ] as const) {
      const { message } = classifyGoogleError(body(code, status, [retryInfo]), "m");
      expect(message.replace(/ Gemini said: .*$/, "")).not.toMatch(/retr(y|ied|ying)/i);
    }
  });
});
