import http from "node:http";
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashSigningKey, signRequest, signingKeyProblem } from "@/engine/auth";
import { engineFor } from "./helpers";

const key = () => `signkey-test-${randomBytes(32).toString("hex")}`;

/** A stand-in app that records the sync request the engine sends it. */
async function recorder(): Promise<{
  url: string;
  seen: http.IncomingHttpHeaders[];
  bodies: string[];
  close(): void;
}> {
  const seen: http.IncomingHttpHeaders[] = [];
  const bodies: string[] = [];
  const server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString()));
    req.on("end", () => {
      seen.push(req.headers);
      bodies.push(body);
      res.writeHead(503).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  const addr = server.address() as { port: number };
  return { url: `http://127.0.0.1:${addr.port}/api/inngest`, seen, bodies, close: () => server.close() };
}

describe("engine with keys: who may send events and use the API", () => {
  const signingKey = key();
  const fallback = key();
  const eventKey = "ek-" + randomBytes(8).toString("hex");
  let engine: Awaited<ReturnType<typeof engineFor>>;
  beforeAll(async () => {
    engine = await engineFor("auth", { signingKey, signingKeyFallback: fallback, eventKey });
  });
  afterAll(async () => {
    await engine?.cleanup();
  });
  const post = (p: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${engine.url}${p}`, { method: "POST", body: JSON.stringify(body), headers });

  it("accepts events only under its event key", async () => {
    const wrong = await post("/e/other-key", [{ name: "a/b", data: {} }]);
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toMatchObject({ status: 401, error: expect.stringMatching(/event key/) });
    const right = await post(`/e/${eventKey}`, [{ name: "a/b", data: {} }]);
    expect(right.status).toBe(200);
    expect(await right.json()).toMatchObject({ status: 200, ids: [expect.any(String)] });
  });

  it("refuses API, register and checkpoint requests without the signing key as bearer", async () => {
    const calls: [string, string, unknown?][] = [
      ["GET", "/v1/runs"],
      ["GET", "/v1/runs/nope"],
      ["POST", "/v1/runs/nope/cancel"],
      ["POST", "/fn/register", { url: "http://x/api/inngest", appName: "x", functions: [] }],
      ["POST", "/v1/checkpoint/nope/async", { steps: [] }],
    ];
    for (const [method, p, body] of calls) {
      for (const auth of [
        undefined,
        "Bearer ",
        `Bearer ${key()}`,
        `Bearer ${hashSigningKey(key())}`,
        signingKey,
      ]) {
        const res = await fetch(`${engine.url}${p}`, {
          method,
          body: body === undefined ? undefined : JSON.stringify(body),
          headers: auth ? { authorization: auth } : {},
        });
        expect(res.status, `${method} ${p} with ${auth}`).toBe(401);
        expect(await res.json()).toMatchObject({ error: expect.stringMatching(/unauthorized/) });
      }
    }
  });

  it("takes the key hashed as the SDK sends it, plain as the REST API allows, and the fallback", async () => {
    for (const k of [signingKey, hashSigningKey(signingKey), fallback, hashSigningKey(fallback)]) {
      const res = await fetch(`${engine.url}/v1/runs`, { headers: { authorization: `Bearer ${k}` } });
      expect(res.status).toBe(200);
    }
    expect((await fetch(`${engine.url}/health`)).status).toBe(200);
  });

  it("signs its sync like Inngest Cloud, fresh for the body it sends", async () => {
    const app = await recorder();
    try {
      await expect(engine.syncApp(app.url)).rejects.toThrow(/HTTP 503/);
      const [headers] = app.seen;
      expect(headers?.["x-inngest-server-kind"]).toBe("cloud");
      const sig = String(headers?.["x-inngest-signature"]);
      const t = Number(/t=(\d+)/.exec(sig)?.[1]);
      expect(Math.abs(t - Date.now() / 1000)).toBeLessThan(5);
      expect(sig).toBe(signRequest(app.bodies[0] ?? "", signingKey, t * 1000));
    } finally {
      app.close();
    }
  });
});

describe("engine without keys (dev server behaviour)", () => {
  it("signs nothing and accepts any event key and unauthenticated API calls", async () => {
    const engine = await engineFor("noauth");
    const app = await recorder();
    try {
      await expect(engine.syncApp(app.url)).rejects.toThrow(/HTTP 503/);
      expect(app.seen[0]?.["x-inngest-server-kind"]).toBe("dev");
      expect(app.seen[0]?.["x-inngest-signature"]).toBeUndefined();
      const sent = await fetch(`${engine.url}/e/anything`, { method: "POST", body: "[]" });
      expect(sent.status).toBe(200);
      expect((await fetch(`${engine.url}/v1/runs`)).status).toBe(200);
    } finally {
      app.close();
      await engine.cleanup();
    }
  });

  it("rejects signing keys the SDK could not hash", () => {
    expect(signingKeyProblem("signkey-prod-xyz")).toMatch(/hex/);
    expect(signingKeyProblem("signkey-prod-abcd")).toMatch(/32 hex/);
    expect(signingKeyProblem(key())).toBeUndefined();
  });
});
