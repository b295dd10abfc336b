import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Inngest } from "inngest";
import { hashSigningKey, signRequest } from "@/engine/auth";
import { engineFor, getRun, runsFinished, serveApp, type App } from "./helpers";

const key = () => `signkey-test-${randomBytes(32).toString("hex")}`;
const quiet = { info() {}, warn() {}, error() {}, debug() {} };

/** The SDK's own requests to the engine: path, bearer sent, status answered. */
const sdkRequests: { path: string; auth: string | null; status: number }[] = [];
const recordingFetch: typeof fetch = async (input, init) => {
  const res = await fetch(input, init);
  const url = new URL(input instanceof Request ? input.url : String(input));
  sdkRequests.push({
    path: url.pathname,
    auth: new Headers(init?.headers).get("authorization"),
    status: res.status,
  });
  return res;
};

/** A real SDK client in cloud mode (signatures checked), talking to the engine as its Inngest Cloud. */
function cloudClient(id: string, engineUrl: string, signingKey: string, eventKey: string): Inngest {
  return new Inngest({
    id,
    isDev: false,
    baseUrl: engineUrl,
    signingKey,
    eventKey,
    fetch: recordingFetch,
    logger: quiet,
    internalLogger: quiet,
  });
}

// Keys in odd order, non-ASCII, floats and exponents: the signature covers the SDK's canonical JSON.
const awkward = { z: 1, a: { y: [3, 1.5, -0.25, 1e21], b: 'é 🎨 \u2028 "q"' }, m: null, é: true };

describe("engine: signed calls verified by the SDK in cloud mode", () => {
  const signingKey = key();
  const eventKey = randomBytes(16).toString("hex");
  let engine: Awaited<ReturnType<typeof engineFor>>;
  let app: App;
  let client: Inngest;

  beforeAll(async () => {
    engine = await engineFor("signing", { signingKey, eventKey });
    client = cloudClient("signed", engine.url, signingKey, eventKey);
    const steps = client.createFunction(
      { id: "steps", triggers: { event: "signed/go" } },
      async ({ event, step }) => {
        const a = await step.run("a", () => event.data as typeof awkward);
        const [b, c] = await Promise.all([step.run("b", () => 2), step.run("c", () => 3)]);
        await step.sendEvent("tell", { name: "signed/told", data: { b, c } });
        return { echoed: a, sum: b + c };
      },
    );
    const told = client.createFunction({ id: "told", triggers: { event: "signed/told" } }, ({ event }) => {
      return event.data as unknown;
    });
    app = await serveApp(client, [steps, told]);
    await engine.syncApp(app.url);
  });
  afterAll(async () => {
    await app?.close();
    await engine?.cleanup();
  });

  it("syncs in-band and runs steps, checkpoints and step.sendEvent against the SDK's checks", async () => {
    await client.send({ name: "signed/go", data: awkward });
    const [run] = await runsFinished(engine.url, "signed-steps", 1, 30_000, signingKey);
    expect(run?.status).toBe("Completed");
    expect(run?.output).toEqual({ echoed: awkward, sum: 5 });
    const full = await getRun(engine.url, run?.id ?? "", signingKey);
    expect(full.steps?.map((s) => s.id).sort()).toEqual(["a", "b", "c", "tell"]);
    const [child] = await runsFinished(engine.url, "signed-told", 1, 30_000, signingKey);
    expect(child?.output).toEqual({ b: 2, c: 3 });
    const checkpoints = sdkRequests.filter((r) => r.path.startsWith("/v1/checkpoint/"));
    expect(checkpoints.length).toBeGreaterThan(0);
    expect(
      checkpoints.every((r) => r.status === 200 && r.auth === `Bearer ${hashSigningKey(signingKey)}`),
    ).toBe(true);
    expect(sdkRequests.filter((r) => r.path.startsWith("/e/")).every((r) => r.status === 200)).toBe(true);
  });

  it("has the SDK refuse calls with no signature, another key or a stale timestamp", async () => {
    const body = JSON.stringify({
      event: { name: "signed/told", data: awkward, id: "e1", ts: 1 },
      events: [{ name: "signed/told", data: awkward, id: "e1", ts: 1 }],
      steps: {},
      ctx: { run_id: "r1", attempt: 0, max_attempts: 1, disable_immediate_execution: false, use_api: false },
      version: -1,
    });
    const call = (signature?: string) =>
      fetch(`${app.url}?fnId=signed-told&stepId=step`, {
        method: "POST",
        body,
        headers: {
          "content-type": "application/json",
          ...(signature ? { "x-inngest-signature": signature } : {}),
        },
      });
    const good = await call(signRequest(body, signingKey));
    expect(good.status).toBe(200);
    expect(await good.json()).toEqual(awkward);
    // The SDK signs its answer with the key it verified.
    expect(good.headers.get("x-inngest-signature")).toMatch(/^t=\d+&s=[0-9a-f]{64}$/);
    for (const bad of [
      undefined,
      signRequest(body, key()),
      signRequest(body, signingKey, Date.now() - 6 * 60_000),
      signRequest(body.replace('"attempt":0', '"attempt":1'), signingKey),
    ]) {
      const res = await call(bad);
      expect(res.status).toBe(401);
      expect(await res.json()).toEqual({ message: "Unauthorized" });
    }
  });

  it("signs introspection (GET signs the empty body) and the in-band sync PUT", async () => {
    const unsigned = await fetch(app.url);
    expect(unsigned.status).toBe(401);
    const signed = await fetch(app.url, { headers: { "x-inngest-signature": signRequest("", signingKey) } });
    expect(signed.status).toBe(200);
    expect(await signed.json()).toMatchObject({
      mode: "cloud",
      authentication_succeeded: true,
      app_id: "signed",
    });
    const put = JSON.stringify({ url: app.url });
    const forged = await fetch(app.url, {
      method: "PUT",
      body: put,
      headers: { "x-inngest-sync-kind": "in_band", "x-inngest-signature": signRequest(put, key()) },
    });
    expect(forged.status).toBe(401);
  });

  it("fails to sync an app that holds another signing key, saying why", async () => {
    const other = await engineFor("signing-other", { signingKey: key() });
    try {
      await expect(other.syncApp(app.url)).rejects.toThrow(/HTTP 401.*refused the engine's signature/);
    } finally {
      await other.cleanup();
    }
  });

  it("accepts the SDK's out-of-band registration only with the signing key as bearer", async () => {
    const oob = await fetch(app.url, { method: "PUT" });
    expect(oob.status).toBe(200);
    const wrongClient = cloudClient("signed", engine.url, key(), eventKey);
    const wrongApp = await serveApp(wrongClient, []);
    try {
      const res = await fetch(wrongApp.url, { method: "PUT" });
      expect(res.status).toBe(401);
      const health = await (await fetch(`${engine.url}/health`)).json();
      expect((health as { apps: { url: string }[] }).apps.map((a) => a.url)).not.toContain(wrongApp.url);
    } finally {
      await wrongApp.close();
    }
  });
});
