/** Small helpers shared by the provider adapters. */
import sharp from "sharp";
import { ProviderError, type ProviderErrorInit } from "@/lib/errors";
import { findSize, getModel, type Model, type ModelId, type NativeSize } from "@/lib/catalog/models";
import type { GenerateRequest, ProviderId } from "@/lib/providers/types";

/** Milliseconds from `retry-after-ms`, else `retry-after` (seconds or an HTTP date); null when absent. */
export function retryAfterFromHeaders(
  headers: { get(name: string): string | null } | undefined,
): number | null {
  if (!headers) return null;
  const ms = Number.parseFloat(headers.get("retry-after-ms") ?? "");
  if (Number.isFinite(ms) && ms >= 0) return Math.round(ms);
  const raw = headers.get("retry-after");
  if (!raw) return null;
  const seconds = Number.parseFloat(raw);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.round(seconds * 1000);
  const date = Date.parse(raw);
  return Number.isNaN(date) ? null : Math.max(0, date - Date.now());
}

export function formatSeconds(ms: number): string {
  return `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;
}

/** Parses a protobuf Duration string such as "23s" or "0.250s" into milliseconds. */
export function parseDuration(value: unknown): number | null {
  if (typeof value !== "string") return null;
  const m = /^(\d+(?:\.\d+)?)s$/.exec(value.trim());
  return m ? Math.round(Number(m[1]) * 1000) : null;
}

/** Looks the request's model up and checks it belongs to this provider and size is native to it. */
export function modelAndSize(
  provider: ProviderId,
  request: GenerateRequest,
): { model: Model; size: NativeSize } {
  const model = getModel(request.model as ModelId);
  if (model.provider !== provider) {
    throw new ProviderError({
      provider,
      model: request.model,
      reason: "invalid_request",
      message: `Model ${model.id} belongs to the ${model.provider} provider, not ${provider}.`,
    });
  }
  const size = findSize(model, { width: request.width, height: request.height });
  if (!size) {
    throw new ProviderError({
      provider,
      model: model.id,
      reason: "invalid_request",
      message:
        `${request.width}x${request.height} is not a native size of ${model.id}; ` +
        `use pickSize() to choose one of ${model.sizes.map((s) => `${s.width}x${s.height}`).join(", ")}.`,
    });
  }
  return { model, size };
}

/** Decodes the image header: proves the bytes are an image and gives its real size and type. */
export async function probeImage(
  bytes: Buffer,
  init: Omit<ProviderErrorInit, "reason" | "message">,
): Promise<{ width: number; height: number; mime: string }> {
  try {
    const meta = await sharp(bytes).metadata();
    if (!meta.width || !meta.height || !meta.format) throw new Error("no dimensions");
    const mime = meta.format === "jpeg" ? "image/jpeg" : `image/${meta.format}`;
    return { width: meta.width, height: meta.height, mime };
  } catch (cause) {
    throw malformed(init, "the image bytes could not be decoded", cause);
  }
}

/**
 * A response we cannot read. Retried once only: a truncated body is usually a transient transport problem,
 * but a provider that keeps answering without a usable image will not change its mind on attempt five,
 * and each of those attempts may be billed.
 */
export function malformed(
  init: Omit<ProviderErrorInit, "reason" | "message">,
  detail: string,
  cause?: unknown,
): ProviderError {
  const name = init.provider === "openai" ? "OpenAI" : "Gemini";
  return new ProviderError({
    ...init,
    reason: "malformed_response",
    maxRetries: 1,
    message: `${name} returned a response we could not use (${detail}).`,
    cause,
  });
}
