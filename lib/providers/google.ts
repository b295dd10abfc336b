/**
 * Gemini image models through `@google/genai` generateContent. No SDK retries (the workflow owns them),
 * an explicit per-attempt timeout (the SDK has none by default), and a pinned API version.
 */
import { GoogleGenAI, Modality, type Part } from "@google/genai";
import { costFromUsage, estimateCost } from "@/lib/catalog/models";
import { classifyGoogleError, noImageError } from "@/lib/providers/google-errors";
import { imageFetch, InlineImages } from "@/lib/providers/inline-images";
import { malformed, modelAndSize, probeImage } from "@/lib/providers/shared";
import type { GenerateRequest, GenerateResult, ImageProvider } from "@/lib/providers/types";

export interface GoogleProviderOptions {
  apiKey: string;
  /** Default: the SDK's (generativelanguage.googleapis.com); the simulator's URL in simulator mode. */
  baseUrl?: string;
  timeoutMs: number;
}

/** Image output with imageConfig is served on v1beta; pinned so an SDK upgrade cannot move it. */
export const GEMINI_API_VERSION = "v1beta";

/** Gemini 3 Pro Image may send interim "thought" images; the answer is the last non-thought image. */
export function lastImagePart(parts: readonly Part[]): { data: string; mimeType?: string } | null {
  for (let i = parts.length - 1; i >= 0; i--) {
    const part = parts[i];
    if (part && !part.thought && part.inlineData?.data) {
      return { data: part.inlineData.data, mimeType: part.inlineData.mimeType };
    }
  }
  return null;
}

export function createGoogleProvider(options: GoogleProviderOptions): ImageProvider {
  const ai = new GoogleGenAI({
    apiKey: options.apiKey,
    apiVersion: GEMINI_API_VERSION,
    httpOptions: { baseUrl: options.baseUrl, timeout: options.timeoutMs },
  });

  return {
    id: "google",
    async generate(request: GenerateRequest): Promise<GenerateResult> {
      const { model, size } = modelAndSize("google", request);
      // The SDK parses the answer; its images are decoded on the way in (see inline-images.ts).
      const images = new InlineImages();
      try {
        const response = await ai.models.generateContent({
          model: model.id,
          contents: [{ role: "user", parts: [{ text: request.prompt }] }],
          config: {
            responseModalities: [Modality.IMAGE],
            imageConfig: { aspectRatio: size.aspectRatio, imageSize: size.imageSize },
            abortSignal: request.signal,
            httpOptions: { fetch: imageFetch(["inlineData.data"], images) },
          },
        });
        const requestId = response.responseId ?? null;
        const candidate = response.candidates?.[0];
        const image = lastImagePart(candidate?.content?.parts ?? []);
        if (!image) {
          const blockReason = response.promptFeedback?.blockReason;
          if (!candidate && !blockReason) {
            throw malformed({ provider: "google", model: model.id, requestId }, "no candidates");
          }
          throw noImageError(model.id, requestId, candidate?.finishReason, blockReason);
        }
        // Not a token only if the answer skipped imageFetch (not labelled JSON): decode it as sent.
        const captured = images.take(image.data);
        const bytes = captured === undefined ? Buffer.from(image.data, "base64") : captured;
        if (!bytes?.length) {
          throw malformed(
            { provider: "google", model: model.id, requestId },
            "the image data was not base64",
          );
        }
        const probed = await probeImage(bytes, { provider: "google", model: model.id, requestId });
        const meta = response.usageMetadata;
        const usage = meta
          ? Object.fromEntries(
              Object.entries({
                promptTokenCount: meta.promptTokenCount,
                candidatesTokenCount: meta.candidatesTokenCount,
                thoughtsTokenCount: meta.thoughtsTokenCount,
                totalTokenCount: meta.totalTokenCount,
              }).filter((e): e is [string, number] => typeof e[1] === "number"),
            )
          : null;
        // Thought tokens are billed at the (much lower) text rate, so only image tokens use the image rate.
        const costUsd = costFromUsage(
          model,
          meta ? { inputTokens: meta.promptTokenCount, outputTokens: meta.candidatesTokenCount } : null,
          // Gemini has no quality tiers; a batch-wide tier meant for OpenAI models is ignored here.
          estimateCost(model, undefined, size.id),
        );
        return { bytes, ...probed, requestId, usage, costUsd };
      } catch (error) {
        throw classifyGoogleError(error, model.id, request.signal, options.timeoutMs);
      }
    },
  };
}
