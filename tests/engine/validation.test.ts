import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { engineFor, listRuns, makeClient, runsFinished, serveApp, type App } from "./helpers";
import { cel } from "@/engine/cel";
import { MAX_EVENT_DEPTH } from "@/engine/events";

describe("engine: unsupported configuration and ops", () => {
  let engine: Awaited<ReturnType<typeof engineFor>>;
  const apps: App[] = [];
  beforeAll(async () => {
    engine = await engineFor("validation");
  });
  afterAll(async () => {
    for (const a of apps) await a.close();
    await engine?.cleanup();
  });

  async function syncError(id: string, fnOpts: Record<string, unknown>): Promise<string> {
    const client = makeClient(id, engine.url);
    const fn = client.createFunction(
      { id: "f", triggers: { event: `${id}/e` }, ...fnOpts } as never,
      async () => 1,
    );
    const app = await serveApp(client, [fn]);
    apps.push(app);
    return engine.syncApp(app.url).then(
      () => "",
      (err: Error) => err.message,
    );
  }

  it("rejects a CEL key outside the subset, naming the function and expression", async () => {
    const msg = await syncError("badkey", { concurrency: { limit: 1, key: "event.data.a + 1" } });
    expect(msg).toContain('function "badkey-f"');
    expect(msg).toContain('"event.data.a + 1"');
  });

  it("rejects unsupported flow control (debounce) and cron schedules it cannot read", async () => {
    expect(await syncError("deb", { debounce: { period: "5s" } })).toMatch(
      /"deb-f": "debounce" is not supported/,
    );
    const client = makeClient("cron", engine.url);
    const fn = client.createFunction({ id: "c", triggers: [{ cron: "61 * * * *" }] }, async () => 1);
    const app = await serveApp(client, [fn]);
    apps.push(app);
    await expect(engine.syncApp(app.url)).rejects.toThrow(/function "cron-c": cron "61 \* \* \* \*"/);
    // Inngest Cloud refuses macros at sync, so the engine does too.
    const daily = makeClient("daily", engine.url);
    const fnDaily = daily.createFunction({ id: "d", triggers: [{ cron: "@daily" }] }, async () => 1);
    const dailyApp = await serveApp(daily, [fnDaily]);
    apps.push(dailyApp);
    await expect(engine.syncApp(dailyApp.url)).rejects.toThrow(
      /Inngest Cloud does not accept macros such as @daily in a trigger; write the five fields \("0 0 \* \* \*"\)/,
    );
  });

  it("refuses a send with an event over the size limit, whole, naming the event and the limit", async () => {
    const client = makeClient("size", engine.url);
    const fn = client.createFunction({ id: "s", triggers: { event: "size/e" } }, async () => 1);
    const app = await serveApp(client, [fn]);
    apps.push(app);
    await engine.syncApp(app.url);
    const big = { name: "size/e", data: { blob: "x".repeat(256 * 1024) } };
    const res = await fetch(`${engine.url}/e/key`, {
      method: "POST",
      body: JSON.stringify([{ name: "size/e", data: { small: true } }, big]),
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: string };
    expect(body.error).toMatch(
      /^events\[1\]: \d+ bytes, more than an event may have \(262144, ENGINE_MAX_EVENT_BYTES; Inngest Cloud takes 256 KiB on its free plan/,
    );
    // Nothing of that send was kept; an event within the limit goes through.
    await expect(client.send(big)).rejects.toThrow(/more than an event may have/);
    await client.send({ name: "size/e", data: { blob: "x".repeat(200 * 1024) } });
    const runs = await runsFinished(engine.url, "size-s", 1);
    expect(runs).toHaveLength(1);
    expect((runs[0]!.event.data.blob as string).length).toBe(200 * 1024);
  });

  it("refuses an event nested deeper than it can serialize with 400, not a stack overflow's 500", async () => {
    const deep = (levels: number) => `${"[".repeat(levels)}${"]".repeat(levels)}`;
    const send = (levels: number) =>
      fetch(`${engine.url}/e/key`, {
        method: "POST",
        body: `[{"name":"depth/e","data":{"ok":true}},{"name":"depth/e","data":{"a":${deep(levels)}}}]`,
      });
    const refused = await send(100_000);
    expect(refused.status).toBe(400);
    expect(await refused.json()).toEqual({
      error: `events[1]: nests objects or arrays more than ${MAX_EVENT_DEPTH} levels deep; send flatter data`,
      status: 400,
    });
    // The event object and its data are two levels: the rest is the limit's.
    expect((await send(MAX_EVENT_DEPTH - 2)).status).toBe(200);
    expect((await send(MAX_EVENT_DEPTH - 1)).status).toBe(400);
  });

  it("answers a request body over its 10 MB limit 413, on every route that reads one", async () => {
    const huge = JSON.stringify([{ name: "huge/e", data: { blob: "x".repeat(10 * 1024 * 1024) } }]);
    for (const route of ["/e/key", "/fn/register", "/v1/checkpoint/some-run/async"]) {
      const res = await fetch(`${engine.url}${route}`, { method: "POST", body: huge });
      expect(res.status, route).toBe(413);
      expect(await res.json(), route).toEqual({
        error: `request body larger than ${10 * 1024 * 1024} bytes`,
        status: 413,
      });
    }
    // A body within the limit that is not JSON is still the caller's mistake: 400.
    expect((await fetch(`${engine.url}/e/key`, { method: "POST", body: "{" })).status).toBe(400);
  });

  it("cancels a running run, and answers 409 for a run that has already ended", async () => {
    const client = makeClient("cancel-api", engine.url);
    const slow = client.createFunction(
      { id: "slow", triggers: { event: "cancel-api/slow" } },
      async ({ step }) => {
        await step.sleep("wait", "1h");
      },
    );
    const quick = client.createFunction(
      { id: "quick", triggers: { event: "cancel-api/quick" } },
      async () => 1,
    );
    const app = await serveApp(client, [slow, quick]);
    apps.push(app);
    await engine.syncApp(app.url);
    await client.send([{ name: "cancel-api/slow" }, { name: "cancel-api/quick" }]);
    const [done] = await runsFinished(engine.url, "cancel-api-quick", 1);
    const ended = await fetch(`${engine.url}/v1/runs/${done!.id}`, { method: "DELETE" });
    expect(ended.status).toBe(409);
    expect(await ended.json()).toMatchObject({
      error: `run ${done!.id} has already ended (Completed)`,
      data: { id: done!.id, status: "Completed" },
    });
    const [running] = await listRuns(engine.url, { function_id: "cancel-api-slow" });
    expect(running?.status).toBe("Running");
    const cancel = () => fetch(`${engine.url}/v1/runs/${running!.id}/cancel`, { method: "POST" });
    const first = await cancel();
    expect(first.status).toBe(200);
    expect(((await first.json()) as { data: { status: string } }).data.status).toBe("Cancelled");
    const again = await cancel();
    expect(again.status).toBe(409);
    expect(((await again.json()) as { error: string }).error).toBe(
      `run ${running!.id} has already ended (Cancelled)`,
    );
  });

  it("fails an invoke whose event would be over the size limit, starting no run", async () => {
    const client = makeClient("big-invoke", engine.url);
    const child = client.createFunction(
      { id: "child", triggers: { event: "big-invoke/child" } },
      async () => 1,
    );
    const parent = client.createFunction(
      { id: "parent", triggers: { event: "big-invoke/go" } },
      async ({ event, step }) => {
        const size = Number(event.data.size);
        try {
          return await step.invoke("child", { function: child, data: { blob: "x".repeat(size) } });
        } catch (err) {
          return (err as Error).message;
        }
      },
    );
    const app = await serveApp(client, [child, parent]);
    apps.push(app);
    await engine.syncApp(app.url);
    await client.send({ name: "big-invoke/go", data: { size: 256 * 1024 } });
    const [refused] = await runsFinished(engine.url, "big-invoke-parent", 1);
    expect(refused?.output).toMatch(
      /^could not invoke "big-invoke-child": its event is \d+ bytes, more than an event may have \(262144, ENGINE_MAX_EVENT_BYTES\)/,
    );
    expect(await listRuns(engine.url, { function_id: "big-invoke-child" })).toEqual([]);
    // Within the limit, the same invoke runs the child.
    await client.send({ name: "big-invoke/go", data: { size: 200 * 1024 } });
    const runs = await runsFinished(engine.url, "big-invoke-parent", 2);
    expect(runs.map((r) => r.output)).toContain(1);
  });

  it("fails a run that uses an unsupported op with a clear message", async () => {
    const client = makeClient("sig", engine.url);
    const fn = client.createFunction({ id: "s", triggers: { event: "sig/e" } }, async ({ step }) => {
      await step.waitForSignal("sig", { signal: "go", timeout: "1m", onConflict: "fail" });
    });
    const app = await serveApp(client, [fn]);
    apps.push(app);
    await engine.syncApp(app.url);
    await client.send({ name: "sig/e", data: {} });
    const [run] = await runsFinished(engine.url, "sig-s", 1);
    expect(run?.status).toBe("Failed");
    expect(run?.error?.message).toMatch(/"WaitForSignal" is not supported/);
  });

  it("evaluates the documented CEL subset", () => {
    const scope = { event: { data: { a: "x", n: 3, nested: { k: true } } }, async: { data: { a: "x" } } };
    expect(cel("event.data.a == async.data.a && event.data.n != 4", ["event", "async"])(scope)).toBe(true);
    expect(cel("event.data.nested.k == true || event.data.n > 10", ["event", "async"])(scope)).toBe(true);
    expect(cel("event.data['a'] == 'y'", ["event", "async"])(scope)).toBe(false);
    expect(cel("event.data.missing == null", ["event"])(scope)).toBe(true);
    expect(() => cel("size(event.data.a) > 1", ["event"])).toThrow(/outside the supported CEL subset/);
    expect(() => cel("async.data.a == 1", ["event"])).toThrow(/unknown identifier "async"/);
  });
});
