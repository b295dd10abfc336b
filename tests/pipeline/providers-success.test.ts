import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { estimateCost, getModel } from "@/lib/catalog/models";
import { createGoogleProvider, lastImagePart } from "@/lib/providers/google";
import { createOpenAIProvider } from "@/lib/providers/openai";
import { startSimulator, type Simulator } from "@/lib/simulator";

let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator({ profile: "fast" });
});
afterAll(async () => sim.close());

describe("openai adapter (real SDK → simulator)", () => {
  it("returns a decodable image at the native size with request id, usage and usage-based cost", async () => {
    const provider = createOpenAIProvider({ apiKey: "k", baseURL: `${sim.url}/v1`, timeoutMs: 5000 });
    const result = await provider.generate({
      model: "gpt-image-1.5",
      prompt: "A red kite over green hills",
      width: 1024,
      height: 1536,
      quality: "high",
    });
    const meta = await sharp(result.bytes).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(["jpeg", 1024, 1536]);
    expect(result).toMatchObject({ mime: "image/jpeg", width: 1024, height: 1536 });
    expect(result.requestId).toBe(sim.requests.at(-1)?.requestId);
    expect(result.usage?.output_tokens).toBe(6240);
    // 6240 output tokens at $32/M plus a few input tokens: about the $0.20 list price for a tall high image.
    expect(result.costUsd).toBeCloseTo(0.2, 2);
    expect(estimateCost(getModel("gpt-image-1.5"), "high", "1024x1536")).toBe(0.2);
  });

  it("rejects a quality tier the model does not have", async () => {
    const provider = createOpenAIProvider({ apiKey: "k", baseURL: `${sim.url}/v1`, timeoutMs: 5000 });
    await expect(
      provider.generate({
        model: "gpt-image-1-mini",
        prompt: "x",
        width: 1024,
        height: 1024,
        quality: "ultra",
      }),
    ).rejects.toMatchObject({ reason: "invalid_request" });
  });
});

describe("google adapter (real SDK → simulator)", () => {
  it("takes the last non-thought image, not the interim thought image", async () => {
    const provider = createGoogleProvider({ apiKey: "k", baseUrl: sim.url, timeoutMs: 5000 });
    const result = await provider.generate({
      model: "gemini-3-pro-image",
      prompt: "Dunes",
      width: 2752,
      height: 1536,
    }); // 16:9 at 2K
    const meta = await sharp(result.bytes).metadata();
    expect([meta.width, meta.height]).toEqual([2752, 1536]);
    expect(result.mime).toBe("image/png");
    expect(result.requestId).toBe(sim.requests.at(-1)?.requestId);
    expect(result.usage).toMatchObject({ candidatesTokenCount: 1120 });
    expect(result.costUsd).toBeCloseTo(0.134, 3);
  });

  it("lastImagePart skips thought parts and text parts", () => {
    expect(
      lastImagePart([
        { inlineData: { data: "draft", mimeType: "image/png" }, thought: true },
        { inlineData: { data: "final", mimeType: "image/png" } },
        { text: "done" },
        { inlineData: { data: "late-thought" }, thought: true },
      ]),
    ).toEqual({ data: "final", mimeType: "image/png" });
    expect(lastImagePart([{ text: "no image" }])).toBeNull();
  });
});
