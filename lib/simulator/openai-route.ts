/**
 * Imitates OpenAI's Images API: POST /v1/images/generations (JSON) and /v1/images/edits (multipart), with
 * the error bodies, status codes and headers the `openai` SDK maps to its error classes.
 */
import { simImage } from "@/lib/simulator/images";
import { json, retryHeaders, type ProviderRoute, type SimReply } from "@/lib/simulator/types";

const STANDARD_SIZES = new Set(["1024x1024", "1536x1024", "1024x1536"]);
/** Output tokens per image as billed for GPT image models (square / non-square). */
const OUTPUT_TOKENS: Record<string, [number, number]> = {
  low: [272, 408],
  medium: [1056, 1584],
  high: [4160, 6240],
};

function invalid(message: string, param: string | null, code = "invalid_value"): SimReply {
  return json(
    400,
    { error: { message, type: "invalid_request_error", param, code } },
    { "x-should-retry": "false" },
  );
}

function parseSize(model: string, size: string | undefined): [number, number] | SimReply {
  const value = size ?? "auto";
  if (value === "auto") return [1024, 1024];
  const m = /^(\d+)x(\d+)$/.exec(value);
  const freeForm = model.startsWith("gpt-image-2");
  if (!m || (!freeForm && !STANDARD_SIZES.has(value))) {
    return invalid(
      `Invalid size '${value}'. Supported sizes are 1024x1024, 1024x1536, 1536x1024, and auto.`,
      "size",
    );
  }
  const w = Number(m[1]);
  const h = Number(m[2]);
  if (w % 16 || h % 16 || w / h > 3 || h / w > 3 || w * h > 3840 * 2160) {
    return invalid(
      `Invalid size '${value}': both sides must be multiples of 16 within a 1:3..3:1 ratio.`,
      "size",
    );
  }
  return [w, h];
}

async function readFields(body: Buffer, contentType: string, url: string): Promise<Record<string, unknown>> {
  if (contentType.startsWith("multipart/form-data")) {
    const form = await new Request(`http://sim${url}`, {
      method: "POST",
      body: new Uint8Array(body),
      headers: { "content-type": contentType },
    }).formData();
    const fields: Record<string, unknown> = {};
    for (const [k, v] of form.entries()) if (typeof v === "string") fields[k] = v;
    fields.__hasImage = form.has("image") || form.has("image[]");
    return fields;
  }
  const parsed: unknown = JSON.parse(body.toString("utf8"));
  if (!parsed || typeof parsed !== "object") throw new SyntaxError("body must be a JSON object");
  return parsed as Record<string, unknown>;
}

export const openAiRoute: ProviderRoute = {
  provider: "openai",
  match(method, path) {
    return method === "POST" && /^\/v1\/images\/(generations|edits)$/.test(path) ? {} : null;
  },
  authorized(headers) {
    return /^Bearer \S+/.test(String(headers.authorization ?? ""));
  },
  async parse(body, contentType, _pathModel, url) {
    let fields: Record<string, unknown>;
    try {
      fields = await readFields(body, contentType, url);
    } catch {
      return invalid("We could not parse the JSON body of your request.", null, "invalid_json");
    }
    const { model, prompt, size, quality, output_format: format } = fields;
    if (typeof prompt !== "string" || prompt.length === 0)
      return invalid("Missing required parameter: 'prompt'.", "prompt");
    if (prompt.length > 32000)
      return invalid("Prompt is too long: the maximum is 32000 characters.", "prompt");
    if (typeof model !== "string" || !model.startsWith("gpt-image")) {
      return json(404, {
        error: {
          message: `The model '${String(model)}' does not exist.`,
          type: "invalid_request_error",
          param: "model",
          code: "model_not_found",
        },
      });
    }
    if (url.endsWith("/edits") && !fields.__hasImage)
      return invalid("Missing required parameter: 'image'.", "image");
    const dims = parseSize(model, typeof size === "string" ? size : undefined);
    if (!Array.isArray(dims)) return dims;
    const fmt = format === "jpeg" || format === "webp" ? format : "png";
    const q = typeof quality === "string" && quality in OUTPUT_TOKENS ? quality : "medium";
    return {
      provider: "openai",
      model,
      prompt,
      width: dims[0],
      height: dims[1],
      format: fmt,
      meta: { quality: q },
    };
  },
  async success(call, requestId) {
    const bytes = await simImage(call.width, call.height, call.format);
    const tokens = OUTPUT_TOKENS[call.meta.quality ?? "medium"] ?? [1056, 1584];
    const output = call.width === call.height ? tokens[0] : tokens[1];
    const input = Math.ceil(call.prompt.length / 4);
    return json(
      200,
      {
        created: Math.floor(Date.now() / 1000),
        background: "opaque",
        output_format: call.format,
        quality: call.meta.quality,
        size: `${call.width}x${call.height}`,
        data: [{ b64_json: bytes.toString("base64") }],
        usage: {
          input_tokens: input,
          input_tokens_details: { text_tokens: input, image_tokens: 0 },
          output_tokens: output,
          total_tokens: input + output,
        },
      },
      { "x-request-id": requestId },
    );
  },
  fault(kind, _call, requestId, retryAfterMs) {
    const id = { "x-request-id": requestId };
    const permanent = { ...id, "x-should-retry": "false" };
    const err = (status: number, message: string, type: string, code: string | null, headers = id) =>
      json(status, { error: { message, type, param: null, code } }, headers);
    switch (kind) {
      case "rate_limit":
        return err(
          429,
          "Rate limit reached for images per minute. Please try again later.",
          "requests",
          "rate_limit_exceeded",
          { ...id, ...retryHeaders(retryAfterMs) },
        );
      case "quota":
        return err(
          429,
          "You exceeded your current quota, please check your plan and billing details.",
          "insufficient_quota",
          "insufficient_quota",
          permanent,
        );
      case "server_error":
        return err(
          500,
          "The server had an error while processing your request. Sorry about that!",
          "server_error",
          "server_error",
        );
      case "unavailable":
        return err(503, "The engine is currently overloaded, please try again later.", "server_error", null, {
          ...id,
          ...retryHeaders(retryAfterMs),
        });
      case "moderation":
      case "safety":
      case "prompt_blocked":
        return err(
          400,
          "Your request was rejected by the safety system. Your prompt may contain content that is not allowed.",
          "image_generation_user_error",
          "moderation_blocked",
          permanent,
        );
      case "auth":
        return err(
          401,
          "Incorrect API key provided. You can find your API key at https://platform.openai.com/account/api-keys.",
          "invalid_request_error",
          "invalid_api_key",
          permanent,
        );
      case "invalid":
        return err(
          400,
          "Invalid value for 'quality': expected one of low, medium, high, auto.",
          "invalid_request_error",
          "invalid_value",
          permanent,
        );
      case "malformed":
        return {
          status: 200,
          headers: { "content-type": "application/json", ...id },
          body: '{"created": 1, "data": [{"b64_json": "iVBORw0KGgo',
        };
    }
  },
};
