/** Turns what `@google/genai` throws (or answers with HTTP 200 but no image) into a ProviderError. */
import { ApiError } from "@google/genai";
import { ProviderError } from "@/lib/errors";
import { formatSeconds, malformed, parseDuration } from "@/lib/providers/shared";

interface GoogleErrorBody {
  code?: number;
  message?: string;
  status?: string;
  details?: { "@type"?: string; retryDelay?: string; reason?: string; violations?: { quotaId?: string }[] }[];
}

/** google.rpc.RetryInfo's retryDelay, when the error carries one. */
function retryDelay(details: NonNullable<GoogleErrorBody["details"]>): number | null {
  return details.map((d) => parseDuration(d.retryDelay)).find((v) => v !== null) ?? null;
}

/** ApiError.message is the JSON error body as a string. */
function parseBody(message: string): GoogleErrorBody {
  try {
    const parsed = JSON.parse(message) as { error?: GoogleErrorBody };
    return parsed.error ?? {};
  } catch {
    return { message };
  }
}

export function classifyGoogleError(
  error: unknown,
  model: string,
  signal?: AbortSignal,
  timeoutMs?: number,
): ProviderError {
  if (error instanceof ProviderError) return error;
  const base = { provider: "google" as const, model, cause: error };
  const name = error instanceof Error ? error.name : "";
  if (name === "AbortError" || name === "TimeoutError") {
    if (signal?.aborted)
      return new ProviderError({
        ...base,
        reason: "cancelled",
        message: "The Gemini request was cancelled.",
      });
    const after = timeoutMs ? ` within ${formatSeconds(timeoutMs)}` : "";
    return new ProviderError({
      ...base,
      reason: "timeout",
      message: `Gemini did not answer${after}.`,
    });
  }
  if (error instanceof ApiError) {
    const status = error.status;
    const body = parseBody(error.message);
    const details = body.details ?? [];
    const said = body.message ? ` Gemini said: ${body.message}` : "";
    const init = { ...base, status };
    if (status === 429) {
      const perDay = details.some((d) => d.violations?.some((v) => /PerDay/i.test(v.quotaId ?? "")));
      if (perDay) {
        return new ProviderError({
          ...init,
          reason: "quota",
          message: `The Gemini project's daily quota for ${model} is used up: wait for the reset or enable billing / raise the quota in Google AI Studio.`,
        });
      }
      const retryAfterMs = retryDelay(details);
      const wait = retryAfterMs === null ? "" : ` (it asked to wait ${formatSeconds(retryAfterMs)})`;
      return new ProviderError({
        ...init,
        reason: "rate_limited",
        retryAfterMs,
        message: `Gemini rate limit reached for ${model}${wait}.`,
        advice:
          "The app already sends fewer calls at once while Gemini refuses them; if cells still fail this way, the provider account's rate limit is the one to raise.",
      });
    }
    const keyInvalid =
      details.some((d) => d.reason === "API_KEY_INVALID") || /API key not valid/i.test(body.message ?? "");
    if (status === 401 || status === 403 || keyInvalid) {
      return new ProviderError({
        ...init,
        reason: "auth",
        message: `Gemini refused the credentials (${status} ${body.status ?? ""}): check GEMINI_API_KEY / GOOGLE_API_KEY.${said}`,
      });
    }
    if (status === 408 || status === 504) {
      return new ProviderError({
        ...init,
        reason: "timeout",
        message: `Gemini timed out (${status}).`,
      });
    }
    if (status >= 500) {
      return new ProviderError({
        ...init,
        reason: "server_error",
        retryAfterMs: retryDelay(details),
        message: `Gemini had a server problem (${status} ${body.status ?? ""}).${said}`,
      });
    }
    return new ProviderError({
      ...init,
      reason: "invalid_request",
      message: `Gemini rejected the request as invalid (${status} ${body.status ?? ""}).${said}`,
    });
  }
  if (error instanceof SyntaxError) return malformed(base, "the JSON body was invalid", error);
  if (error instanceof TypeError) {
    const cause = error.cause instanceof Error ? `: ${error.cause.message}` : `: ${error.message}`;
    return new ProviderError({ ...base, reason: "connection", message: `Could not reach Gemini${cause}.` });
  }
  const message = error instanceof Error ? error.message : String(error);
  return new ProviderError({
    ...base,
    reason: "server_error",
    message: `Unexpected Gemini failure: ${message}`,
  });
}

const BLOCKED = new Set([
  "SAFETY",
  "IMAGE_SAFETY",
  "PROHIBITED_CONTENT",
  "IMAGE_PROHIBITED_CONTENT",
  "BLOCKLIST",
  "SPII",
  "RECITATION",
  "IMAGE_RECITATION",
]);

/** A 200 answer without an image: blocked prompt, blocked output, or the model declining to draw. */
export function noImageError(
  model: string,
  requestId: string | null,
  finishReason: string | undefined,
  blockReason: string | undefined,
): ProviderError {
  const init = { provider: "google" as const, model, requestId, status: 200 };
  if (blockReason) {
    return new ProviderError({
      ...init,
      reason: "safety_blocked",
      message: `Gemini blocked the prompt (${blockReason}). Rephrase the title, context or extra guidance.`,
    });
  }
  if (finishReason && BLOCKED.has(finishReason)) {
    return new ProviderError({
      ...init,
      reason: "safety_blocked",
      message: `Gemini's safety filters withheld the image (${finishReason}). Rephrase the title, context or extra guidance.`,
    });
  }
  // NO_IMAGE, IMAGE_OTHER, OTHER or STOP with only text: the model declined; one more try may draw.
  return malformed(init, `finished with ${finishReason ?? "no reason"} and no image`);
}
