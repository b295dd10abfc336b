import OpenAI from "openai";
import sharp from "sharp";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { parseMarkers, resolveProfile, startSimulator, type Simulator } from "@/lib/simulator";

let sim: Simulator;
let client: OpenAI;
beforeAll(async () => {
  sim = await startSimulator({ profile: "fast" });
  client = new OpenAI({ apiKey: "k", baseURL: `${sim.url}/v1`, maxRetries: 0, timeout: 10_000 });
});
afterAll(async () => sim.close());
beforeEach(() => {
  sim.setProfile("fast");
  sim.reset();
});

const generate = (prompt: string) =>
  client.images.generate({ model: "gpt-image-1-mini", prompt, size: "1024x1024", quality: "low", n: 1 });

describe("simulator", () => {
  it("answers 429 above the in-flight cap and records every request with timing", async () => {
    sim.setProfile({ inflightCap: 3, latencyMs: [150, 150], retryAfterMs: 700 });
    const results = await Promise.allSettled(Array.from({ length: 6 }, (_, i) => generate(`cell ${i}`)));
    const ok = results.filter((r) => r.status === "fulfilled").length;
    const limited = results.filter((r) => r.status === "rejected");
    expect(ok).toBe(3);
    expect(limited).toHaveLength(3);
    for (const r of limited) {
      expect((r as PromiseRejectedResult).reason).toBeInstanceOf(OpenAI.RateLimitError);
      expect((r as PromiseRejectedResult).reason.headers.get("retry-after-ms")).toBe("700");
    }
    expect(sim.stats.byOutcome).toEqual({ ok: 3, inflight_cap: 3 });
    expect(sim.stats.maxInflight.openai).toBe(3);
    for (const rec of sim.requests) {
      expect(rec.provider).toBe("openai");
      expect(rec.model).toBe("gpt-image-1-mini");
      expect(rec.endedAt).toBeGreaterThanOrEqual(rec.startedAt);
    }
    const okRecords = sim.requests.filter((r) => r.outcome === "ok");
    for (const rec of okRecords) expect((rec.endedAt ?? 0) - rec.startedAt).toBeGreaterThanOrEqual(140);
  });

  it("counts attempts per (provider, model, prompt)", async () => {
    await generate("same prompt");
    await generate("same prompt");
    await generate("other prompt");
    expect(sim.requests.map((r) => r.attempt)).toEqual([1, 2, 1]);
    expect(sim.requests.map((r) => r.seq)).toEqual([...sim.requests.map((r) => r.seq)].sort((a, b) => a - b));
  });

  it("draws faults from a seeded RNG: the same seed gives the same outcome sequence", async () => {
    const run = async () => {
      sim.setProfile({ faults: { server_error: 0.3, rate_limit: 0.2 }, seed: 42 });
      sim.reset();
      for (let i = 0; i < 20; i++) await generate(`p${i}`).catch(() => undefined);
      return sim.requests.map((r) => r.outcome);
    };
    const first = await run();
    expect(await run()).toEqual(first);
    expect(new Set(first)).toEqual(new Set(["ok", "server_error", "rate_limit"]));
  });

  it("serves real images at the requested size and format", async () => {
    const res = await client.images.generate({
      model: "gpt-image-1.5",
      prompt: "x",
      size: "1536x1024",
      output_format: "webp",
    });
    const meta = await sharp(Buffer.from(res.data?.[0]?.b64_json ?? "", "base64")).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(["webp", 1536, 1024]);
  });

  it("validates requests like the real API: size, auth and unknown routes", async () => {
    await expect(
      client.images.generate({ model: "gpt-image-1.5", prompt: "x", size: "1200x630" }),
    ).rejects.toBeInstanceOf(OpenAI.BadRequestError);
    const noAuth = await fetch(`${sim.url}/v1/images/generations`, { method: "POST", body: "{}" });
    expect(noAuth.status).toBe(401);
    expect((await fetch(`${sim.url}/v1/nope`, { method: "POST" })).status).toBe(404);
    expect(sim.stats.byOutcome).toMatchObject({ bad_request: 1, unauthorized: 1 });
  });

  it("serves the multipart edits endpoint", async () => {
    const png = await sharp({ create: { width: 8, height: 8, channels: 3, background: "#f00" } })
      .png()
      .toBuffer();
    const res = await client.images.edit({
      model: "gpt-image-1.5",
      prompt: "make it blue",
      image: await OpenAI.toFile(png, "in.png", { type: "image/png" }),
      size: "1024x1024",
    });
    expect(res.data?.[0]?.b64_json?.length).toBeGreaterThan(100);
    expect(sim.requests[0]?.outcome).toBe("ok");
  });

  it("records a hung request as a timeout once the client gives up", async () => {
    const quick = new OpenAI({ apiKey: "k", baseURL: `${sim.url}/v1`, maxRetries: 0, timeout: 100 });
    await expect(
      quick.images.generate({ model: "gpt-image-1-mini", prompt: "[sim:timeout]" }),
    ).rejects.toBeInstanceOf(OpenAI.APIConnectionTimeoutError);
    await expect.poll(() => sim.requests[0]?.outcome).toBe("timeout");
    await expect.poll(() => sim.stats.inflight.openai).toBe(0);
  });

  it("holds answers until released, and lets calls made after the release through", async () => {
    const release = sim.hold();
    let answered = 0;
    const first = Promise.all(["held one", "held two"].map((p) => generate(p).then(() => answered++)));
    await expect.poll(() => sim.stats.inflight.openai).toBe(2);
    await new Promise((r) => setTimeout(r, 200));
    expect(answered).toBe(0);
    expect(sim.requests.map((r) => r.outcome)).toEqual(["pending", "pending"]);
    release();
    await first;
    expect(sim.requests.map((r) => r.outcome)).toEqual(["ok", "ok"]);
    await generate("after the release");
    // A stale release does not open a later hold.
    const again = sim.hold();
    release();
    const late = generate("held again");
    await expect.poll(() => sim.stats.inflight.openai).toBe(1);
    await new Promise((r) => setTimeout(r, 200));
    expect(sim.requests.at(-1)?.outcome).toBe("pending");
    again();
    await late;
  });

  it("holds only the answers a hold picks by prompt", async () => {
    const release = sim.hold((prompt) => prompt.includes("slow"));
    expect(() => sim.hold()).toThrow(/holding answers already/);
    const slow = generate("a slow one");
    await generate("a quick one");
    expect(sim.stats.byOutcome).toEqual({ pending: 1, ok: 1 });
    release();
    await slow;
    expect(sim.stats.byOutcome).toEqual({ ok: 2 });
  });
});

describe("profiles and markers", () => {
  it("parses fault, repeat and latency markers", () => {
    expect(parseMarkers("a [sim:moderation] b")).toEqual({ fault: { kind: "moderation", times: Infinity } });
    expect(parseMarkers("[sim:429*2][sim:latency=250]")).toEqual({
      fault: { kind: "rate_limit", times: 2 },
      latencyMs: 250,
    });
    expect(parseMarkers("no markers [sim:unknown]")).toEqual({});
  });

  it("validates profiles", () => {
    expect(resolveProfile("scaled").timeScale).toBe(0.01);
    expect(() => resolveProfile("nope")).toThrow(/unknown simulator profile/);
    expect(() => resolveProfile({ faults: { rate_limit: 0.8, server_error: 0.5 } })).toThrow(/more than 1/);
    expect(() => resolveProfile({ latencyMs: [5, 1] })).toThrow(/latencyMs/);
    expect(() => resolveProfile({ inflightCap: 0 })).toThrow(/inflightCap/);
  });
});
