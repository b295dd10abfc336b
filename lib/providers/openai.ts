/**
 * OpenAI GPT image models through the official SDK. SDK retries are off (maxRetries 0): the workflow owns
 * retries so every attempt is visible and counted.
 */
import OpenAI from "openai";
import { ProviderError } from "@/lib/errors";
import { costFromUsage, estimateCost } from "@/lib/catalog/models";
import { classifyOpenAIError } from "@/lib/providers/openai-errors";
import { InlineImages, readJsonWithImages } from "@/lib/providers/inline-images";
import { malformed, modelAndSize, probeImage } from "@/lib/providers/shared";
import type { GenerateRequest, GenerateResult, ImageProvider } from "@/lib/providers/types";

export interface OpenAIProviderOptions {
  apiKey: string;
  /** Including /v1, e.g. the simulator's `${url}/v1`. Default: the SDK's (api.openai.com). */
  baseURL?: string;
  timeoutMs: number;
  /** JPEG keeps raw images small; the compositor re-encodes anyway. */
  outputFormat?: "png" | "jpeg" | "webp";
  outputCompression?: number;
}

export function createOpenAIProvider(options: OpenAIProviderOptions): ImageProvider {
  const client = new OpenAI({
    apiKey: options.apiKey,
    baseURL: options.baseURL,
    maxRetries: 0,
    timeout: options.timeoutMs,
  });
  const format = options.outputFormat ?? "jpeg";

  return {
    id: "openai",
    async generate(request: GenerateRequest): Promise<GenerateResult> {
      const { model, size } = modelAndSize("openai", request);
      const quality = request.quality ?? model.defaultQuality;
      if (!model.qualities.includes(quality)) {
        throw new ProviderError({
          provider: "openai",
          model: model.id,
          reason: "invalid_request",
          message: `${model.id} has no quality "${quality}"; choose one of ${model.qualities.join(", ")}.`,
        });
      }
      try {
        // asResponse rather than the parsed result: a body that fails to parse still has its x-request-id.
        const response = await client.images
          .generate(
            {
              model: model.id,
              prompt: request.prompt,
              size: size.id,
              quality: quality as "low" | "medium" | "high",
              output_format: format,
              ...(format === "png" ? {} : { output_compression: options.outputCompression ?? 90 }),
              n: 1,
            },
            { signal: request.signal },
          )
          .asResponse();
        const requestId = response.headers.get("x-request-id");
        const init = { provider: "openai" as const, model: model.id, requestId };
        const images = new InlineImages();
        let data: OpenAI.ImagesResponse;
        try {
          data = JSON.parse(
            await readJsonWithImages(response.body, ["b64_json"], images),
          ) as OpenAI.ImagesResponse;
        } catch (cause) {
          throw malformed(init, "the JSON body was invalid", cause);
        }
        const bytes = images.take(data.data?.[0]?.b64_json);
        if (bytes === undefined || bytes?.length === 0) throw malformed(init, "no b64_json image in data[0]");
        if (bytes === null) throw malformed(init, "the b64_json image was not base64");
        const image = await probeImage(bytes, init);
        const usage = data.usage
          ? {
              input_tokens: data.usage.input_tokens,
              output_tokens: data.usage.output_tokens,
              total_tokens: data.usage.total_tokens,
            }
          : null;
        const costUsd = costFromUsage(
          model,
          usage && { inputTokens: usage.input_tokens, outputTokens: usage.output_tokens },
          estimateCost(model, quality, size.id),
        );
        return { bytes, ...image, requestId, usage, costUsd };
      } catch (error) {
        throw classifyOpenAIError(error, model.id, request.signal, options.timeoutMs);
      }
    },
  };
}
