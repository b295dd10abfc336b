import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MODEL_IDS } from "@/lib/catalog/models";
import { ProviderUnavailableError } from "@/lib/errors";
import { readEnv } from "@/lib/env";
import { generateImage, getProvider, modelAvailability } from "@/lib/providers/registry";
import { startSimulator, type Simulator } from "@/lib/simulator";

const noKeys = readEnv({});

describe("provider availability", () => {
  it("without keys only the offline preview is available, and the missing variable is named", () => {
    const list = modelAvailability(noKeys);
    expect(list.map((m) => m.id)).toEqual(MODEL_IDS);
    expect(list.find((m) => m.id === "local-preview")).toMatchObject({ available: true, missingEnv: null });
    expect(list.find((m) => m.id === "gpt-image-1.5")).toMatchObject({
      available: false,
      missingEnv: "OPENAI_API_KEY",
    });
    expect(list.find((m) => m.id === "gemini-3-pro-image")).toMatchObject({
      available: false,
      missingEnv: "GEMINI_API_KEY",
    });
  });

  it("asking for an unavailable model throws an error naming the variable", () => {
    expect(() => getProvider("gpt-image-2", noKeys)).toThrow(ProviderUnavailableError);
    expect(() => getProvider("gpt-image-2", noKeys)).toThrow(/OPENAI_API_KEY/);
    expect(() => getProvider("gemini-3-pro-image", noKeys)).toThrow(/GEMINI_API_KEY/);
  });

  it("a key enables its provider only; GOOGLE_API_KEY counts for Gemini", () => {
    const openaiOnly = modelAvailability(readEnv({ OPENAI_API_KEY: "sk-test" }));
    expect(openaiOnly.filter((m) => m.available).map((m) => m.provider)).not.toContain("google");
    expect(getProvider("gpt-image-1-mini", readEnv({ OPENAI_API_KEY: "sk-test" })).id).toBe("openai");
    expect(getProvider("gemini-3-pro-image", readEnv({ GOOGLE_API_KEY: "g" })).id).toBe("google");
    expect(getProvider("local-preview", noKeys).id).toBe("local-preview");
  });

  it("rejects a malformed simulator URL with the variable's name", () => {
    expect(() => readEnv({ PROVIDER_SIMULATOR_URL: "not a url" })).toThrow(/PROVIDER_SIMULATOR_URL/);
  });
});

describe("simulator mode", () => {
  let sim: Simulator;
  beforeAll(async () => {
    sim = await startSimulator({ profile: "fast" });
  });
  afterAll(async () => sim.close());

  it("makes every model available and sends the real SDKs to the simulator with a dummy key", async () => {
    const env = readEnv({ PROVIDER_SIMULATOR_URL: `${sim.url}/`, OPENAI_API_KEY: "sk-real-never-sent" });
    expect(modelAvailability(env).every((m) => m.available)).toBe(true);
    expect(modelAvailability(env).find((m) => m.id === "gpt-image-2")?.simulated).toBe(true);
    const a = await generateImage({ model: "gpt-image-2", prompt: "p", width: 1536, height: 864 }, env);
    const b = await generateImage(
      { model: "gemini-3-pro-image", prompt: "p", width: 1024, height: 1024 },
      env,
    );
    expect([a.width, a.height, b.width, b.height]).toEqual([1536, 864, 1024, 1024]);
    expect(sim.requests.map((r) => [r.provider, r.model, r.outcome])).toEqual([
      ["openai", "gpt-image-2", "ok"],
      ["google", "gemini-3-pro-image", "ok"],
    ]);
  });
});
