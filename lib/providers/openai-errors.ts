/** Turns anything the `openai` SDK throws into a classified ProviderError. */
import OpenAI from "openai";
import { ProviderError } from "@/lib/errors";
import { formatSeconds, malformed, retryAfterFromHeaders } from "@/lib/providers/shared";

export function classifyOpenAIError(
  error: unknown,
  model: string,
  signal?: AbortSignal,
  timeoutMs?: number,
): ProviderError {
  if (error instanceof ProviderError) return error;
  const base = { provider: "openai" as const, model, cause: error };
  if (error instanceof OpenAI.APIUserAbortError || signal?.aborted) {
    return new ProviderError({ ...base, reason: "cancelled", message: "The OpenAI request was cancelled." });
  }
  if (error instanceof OpenAI.APIConnectionTimeoutError) {
    const after = timeoutMs ? ` within ${formatSeconds(timeoutMs)}` : "";
    return new ProviderError({
      ...base,
      reason: "timeout",
      message: `OpenAI did not answer${after}.`,
    });
  }
  if (error instanceof OpenAI.APIConnectionError) {
    const detail = error.cause instanceof Error ? `: ${error.cause.message}` : "";
    return new ProviderError({ ...base, reason: "connection", message: `Could not reach OpenAI${detail}.` });
  }
  if (error instanceof OpenAI.APIError) {
    const status = error.status ?? null;
    const requestId = error.requestID ?? null;
    const code = typeof error.code === "string" ? error.code : "";
    const type = typeof error.type === "string" ? error.type : "";
    const detail = (error.error as { message?: unknown } | undefined)?.message;
    const said = typeof detail === "string" && detail ? ` OpenAI said: ${detail}` : "";
    const init = { ...base, status, requestId };
    if (status === 429 && (code === "insufficient_quota" || type === "insufficient_quota")) {
      return new ProviderError({
        ...init,
        reason: "quota",
        message:
          "The OpenAI account is out of quota (insufficient_quota): add credit or raise the spend limit in the OpenAI billing settings.",
      });
    }
    if (status === 429) {
      const retryAfterMs = retryAfterFromHeaders(error.headers);
      const wait = retryAfterMs === null ? "" : ` (it asked to wait ${formatSeconds(retryAfterMs)})`;
      return new ProviderError({
        ...init,
        reason: "rate_limited",
        retryAfterMs,
        message: `OpenAI rate limit reached for ${model}${wait}.`,
        advice:
          "The app already sends fewer calls at once while OpenAI refuses them; if cells still fail this way, the provider account's rate limit is the one to raise.",
      });
    }
    if (code === "moderation_blocked" || code === "content_policy_violation") {
      return new ProviderError({
        ...init,
        reason: "moderation_blocked",
        message: `OpenAI's safety system rejected this prompt (${code}). Rephrase the title, context or extra guidance.`,
      });
    }
    if (status === 401 || status === 403) {
      return new ProviderError({
        ...init,
        reason: "auth",
        message: `OpenAI refused the credentials (${status}${code ? ` ${code}` : ""}): check OPENAI_API_KEY and the project's access to ${model}.`,
      });
    }
    if (status === 408 || status === 409 || (status !== null && status >= 500)) {
      return new ProviderError({
        ...init,
        reason: status === 408 ? "timeout" : "server_error",
        retryAfterMs: retryAfterFromHeaders(error.headers),
        message: `OpenAI had a server problem (${status}).${said}`,
      });
    }
    return new ProviderError({
      ...init,
      reason: "invalid_request",
      message: `OpenAI rejected the request as invalid (${status ?? "no status"}${code ? ` ${code}` : ""}).${said}`,
    });
  }
  if (error instanceof SyntaxError) return malformed(base, "the JSON body was invalid", error);
  const message = error instanceof Error ? error.message : String(error);
  return new ProviderError({
    ...base,
    reason: "server_error",
    message: `Unexpected OpenAI failure: ${message}`,
  });
}
