/**
 * Imitates Gemini's POST /(v1|v1beta)/models/{model}:generateContent for image output, including the
 * interim "thought" image Gemini 3 Pro Image sends before the final one, and its two kinds of block:
 * HTTP 200 with finishReason (output blocked) and HTTP 200 with promptFeedback (prompt blocked).
 */
import { GEMINI_3_1K } from "@/lib/catalog/model-sizes";
import { simImage } from "@/lib/simulator/images";
import { json, type ProviderRoute, type SimReply } from "@/lib/simulator/types";

// The same output sizes the catalog declares for Gemini 3 image models (1K; 2K and 4K scale them).
const ASPECTS = GEMINI_3_1K;
const SCALE: Record<string, number> = { "1K": 1, "2K": 2, "4K": 4 };
/** Output tokens billed per image: 1K/2K 1120, 4K 2000 (Gemini 3 Pro Image). */
const IMAGE_TOKENS: Record<string, number> = { "1K": 1120, "2K": 1120, "4K": 2000 };

function apiError(code: number, status: string, message: string, details?: unknown[]): SimReply {
  return json(code, { error: { code, message, status, ...(details ? { details } : {}) } });
}

function invalid(message: string): SimReply {
  return apiError(400, "INVALID_ARGUMENT", message);
}

interface GeminiBody {
  contents?: { parts?: { text?: string }[] }[];
  generationConfig?: {
    responseModalities?: string[];
    imageConfig?: { aspectRatio?: string; imageSize?: string };
  };
}

export const geminiRoute: ProviderRoute = {
  provider: "google",
  match(method, path) {
    const m = /^\/(?:v1|v1beta)\/models\/([^/:]+):generateContent$/.exec(path);
    return method === "POST" && m ? { model: decodeURIComponent(m[1] ?? "") } : null;
  },
  authorized(headers) {
    return typeof headers["x-goog-api-key"] === "string" && headers["x-goog-api-key"].length > 0;
  },
  async parse(body, _contentType, pathModel) {
    let parsed: GeminiBody;
    try {
      parsed = JSON.parse(body.toString("utf8")) as GeminiBody;
    } catch {
      return invalid("Invalid JSON payload received.");
    }
    const model = pathModel ?? "";
    if (!/^gemini-.*image/.test(model)) {
      return apiError(
        404,
        "NOT_FOUND",
        `models/${model} is not found for API version v1beta, or is not supported for generateContent.`,
      );
    }
    const prompt = (parsed.contents ?? [])
      .flatMap((c) => c.parts ?? [])
      .map((p) => p.text ?? "")
      .join("\n");
    if (!prompt.trim()) return invalid("* GenerateContentRequest.contents: contents is not specified");
    const config = parsed.generationConfig?.imageConfig ?? {};
    const aspectRatio = config.aspectRatio ?? "1:1";
    const imageSize = config.imageSize ?? "1K";
    const dims = ASPECTS[aspectRatio];
    const scale = SCALE[imageSize];
    if (!dims) return invalid(`Unsupported aspect ratio: ${aspectRatio}`);
    if (!scale) return invalid(`Unsupported image size: ${imageSize}`);
    const modalities = parsed.generationConfig?.responseModalities ?? ["TEXT"];
    if (!modalities.map((m) => m.toUpperCase()).includes("IMAGE"))
      return invalid("responseModalities must include IMAGE for this model.");
    return {
      provider: "google",
      model,
      prompt,
      width: dims[0] * scale,
      height: dims[1] * scale,
      format: "png",
      meta: { aspectRatio, imageSize },
    };
  },
  async success(call, requestId) {
    const bytes = await simImage(call.width, call.height, "png");
    const parts: unknown[] = [{ text: "Here is the image you asked for." }];
    if (call.model.includes("pro")) {
      // Gemini 3 Pro "thinks" in images: an interim draft flagged thought:true precedes the final image.
      const draft = await simImage(64, 64, "png");
      parts.unshift({ inlineData: { mimeType: "image/png", data: draft.toString("base64") }, thought: true });
    }
    parts.push({ inlineData: { mimeType: "image/png", data: bytes.toString("base64") } });
    const promptTokens = Math.ceil(call.prompt.length / 4);
    const imageTokens = IMAGE_TOKENS[call.meta.imageSize ?? "1K"] ?? 1120;
    return json(200, {
      candidates: [{ content: { role: "model", parts }, finishReason: "STOP", index: 0 }],
      usageMetadata: {
        promptTokenCount: promptTokens,
        candidatesTokenCount: imageTokens,
        totalTokenCount: promptTokens + imageTokens,
      },
      modelVersion: call.model,
      responseId: requestId,
    });
  },
  fault(kind, call, requestId, retryAfterMs) {
    const usage = { promptTokenCount: Math.ceil((call?.prompt.length ?? 0) / 4), totalTokenCount: 0 };
    switch (kind) {
      case "rate_limit":
        return withRetryAfter(
          apiError(429, "RESOURCE_EXHAUSTED", "Resource has been exhausted (e.g. check quota).", [
            {
              "@type": "type.googleapis.com/google.rpc.RetryInfo",
              retryDelay: `${(retryAfterMs / 1000).toFixed(3)}s`,
            },
          ]),
          retryAfterMs,
        );
      case "quota":
        return apiError(
          429,
          "RESOURCE_EXHAUSTED",
          "You exceeded your current quota, please check your plan and billing details.",
          [
            {
              "@type": "type.googleapis.com/google.rpc.QuotaFailure",
              violations: [{ quotaId: "GenerateRequestsPerDayPerProjectPerModel-FreeTier" }],
            },
          ],
        );
      case "server_error":
        return apiError(
          500,
          "INTERNAL",
          "An internal error has occurred. Please retry or report in https://developers.generativeai.google/guide/troubleshooting",
        );
      case "unavailable":
        return withRetryAfter(
          apiError(503, "UNAVAILABLE", "The model is overloaded. Please try again later."),
          retryAfterMs,
        );
      case "moderation":
      case "safety":
        return json(200, {
          candidates: [{ finishReason: "IMAGE_SAFETY", index: 0 }],
          usageMetadata: usage,
          responseId: requestId,
        });
      case "prompt_blocked":
        return json(200, {
          promptFeedback: { blockReason: "PROHIBITED_CONTENT" },
          usageMetadata: usage,
          responseId: requestId,
        });
      case "auth":
        return apiError(400, "INVALID_ARGUMENT", "API key not valid. Please pass a valid API key.", [
          {
            "@type": "type.googleapis.com/google.rpc.ErrorInfo",
            reason: "API_KEY_INVALID",
            domain: "googleapis.com",
          },
        ]);
      case "invalid":
        return invalid("Request contains an invalid argument.");
      case "malformed":
        return {
          status: 200,
          headers: { "content-type": "application/json" },
          body: '{"candidates": [{"content": {"parts": [{"inlineData": {"mimeType": "image/png", "data": "iVBO',
        };
    }
  },
};

function withRetryAfter(reply: SimReply, ms: number): SimReply {
  return {
    ...reply,
    headers: { ...reply.headers, "retry-after": String(Math.max(1, Math.ceil(ms / 1000))) },
  };
}
