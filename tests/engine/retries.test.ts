import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NonRetriableError, RetryAfterError } from "inngest";
import { engineFor, getRun, makeClient, runsFinished, serveApp, type App } from "./helpers";

describe("engine: retries and errors", () => {
  let engine: Awaited<ReturnType<typeof engineFor>>;
  let app: App;
  let client: ReturnType<typeof makeClient>;
  const calls = new Map<string, number[]>();
  const hit = (k: string) => {
    const list = calls.get(k) ?? [];
    list.push(Date.now());
    calls.set(k, list);
    return list.length;
  };
  const failures: { error: string; original: string }[] = [];

  beforeAll(async () => {
    engine = await engineFor("retries", { retryBaseMs: 10 });
    client = makeClient("rt", engine.url);
    const retryAfter = client.createFunction(
      { id: "retry-after", triggers: { event: "rt/after" } },
      async ({ step }) => {
        return step.run("flaky", () => {
          if (hit("after") === 1) throw new RetryAfterError("rate limited", 2000);
          return "ok";
        });
      },
    );
    const nonRetriable = client.createFunction(
      { id: "non-retriable", triggers: { event: "rt/nonretry" } },
      async ({ step }) => {
        await step.run("fatal", () => {
          hit("fatal");
          throw new NonRetriableError("bad input");
        });
      },
    );
    const defaults = client.createFunction(
      {
        id: "defaults",
        triggers: { event: "rt/defaults" },
        onFailure: async ({ error, event }) => {
          failures.push({ error: error.message, original: (event.data.event as { name: string }).name });
        },
      },
      async ({ step }) => {
        await step.run("always", () => {
          hit("always");
          throw new Error(`boom ${calls.get("always")?.length}`);
        });
      },
    );
    const caught = client.createFunction(
      { id: "caught", triggers: { event: "rt/caught" } },
      async ({ step }) => {
        try {
          await step.run("fails", () => {
            hit("caught");
            throw new Error("expected failure");
          });
        } catch (err) {
          return step.run("recover", () => `recovered from ${(err as Error).message}`);
        }
        return "unreachable";
      },
    );
    const fnLevel = client.createFunction(
      { id: "fn-level", triggers: { event: "rt/fn" }, retries: 2 },
      async ({ step }) => {
        const v = await step.run("one", () => 1);
        if (hit("fn") < 3) throw new Error("transient outside a step");
        return v;
      },
    );
    // Steps buffered by the SDK reach the engine with the next error or with the run's result.
    const buffered = client.createFunction(
      { id: "buffered", triggers: { event: "rt/buffered" }, checkpointing: { bufferedSteps: 4 } },
      async ({ step }) => {
        const a = await step.run("a", () => (hit("buffered-a"), 1));
        const b = await step.run("b", () => {
          if (hit("buffered-b") === 1) throw new Error("transient");
          return 2;
        });
        const c = await step.run("c", () => (hit("buffered-c"), 3));
        return a + b + c;
      },
    );
    app = await serveApp(client, [retryAfter, nonRetriable, defaults, caught, fnLevel, buffered]);
    await engine.syncApp(app.url);
  });
  afterAll(async () => {
    await app?.close();
    await engine?.cleanup();
  });

  it("honours RetryAfterError's delay", async () => {
    await client.send({ name: "rt/after", data: {} });
    const [run] = await runsFinished(engine.url, "rt-retry-after", 1);
    expect(run?.status).toBe("Completed");
    expect(run?.output).toBe("ok");
    const t = calls.get("after") ?? [];
    expect(t).toHaveLength(2);
    expect((t[1] ?? 0) - (t[0] ?? 0)).toBeGreaterThanOrEqual(1900);
    const full = await getRun(engine.url, run?.id ?? "");
    expect(full.steps?.[0]?.attempts.map((a) => a.attempt)).toEqual([0, 1]);
  });

  it("never retries NonRetriableError", async () => {
    await client.send({ name: "rt/nonretry", data: {} });
    const [run] = await runsFinished(engine.url, "rt-non-retriable", 1);
    expect(run?.status).toBe("Failed");
    expect(run?.error?.message).toContain("bad input");
    expect(calls.get("fatal")).toHaveLength(1);
  });

  it("uses 4 retries (5 attempts) by default, then fails and runs onFailure", async () => {
    await client.send({ name: "rt/defaults", data: {} });
    const [run] = await runsFinished(engine.url, "rt-defaults", 1, 30_000);
    expect(run?.status).toBe("Failed");
    expect(calls.get("always")).toHaveLength(5);
    const full = await getRun(engine.url, run?.id ?? "");
    const attempts = full.steps?.[0]?.attempts ?? [];
    expect(attempts.map((a) => a.attempt)).toEqual([0, 1, 2, 3, 4]);
    expect(attempts.every((a) => a.error !== null)).toBe(true);
    const [failure] = await runsFinished(engine.url, "rt-defaults-failure", 1);
    expect(failure?.status).toBe("Completed");
    expect(failures).toEqual([{ error: "boom 5", original: "rt/defaults" }]);
  });

  it("lets user code catch a failed step", async () => {
    await client.send({ name: "rt/caught", data: {} });
    const [run] = await runsFinished(engine.url, "rt-caught", 1, 30_000);
    expect(run?.status).toBe("Completed");
    expect(run?.output).toBe("recovered from expected failure");
    expect(calls.get("caught")).toHaveLength(5);
  });

  it("retries errors thrown outside steps per the function's retries", async () => {
    await client.send({ name: "rt/fn", data: {} });
    const [run] = await runsFinished(engine.url, "rt-fn-level", 1);
    expect(run?.status).toBe("Completed");
    expect(run?.output).toBe(1);
    expect(calls.get("fn")).toHaveLength(3);
  });

  it("takes buffered checkpoints: steps flushed before a step error, the rest with the result", async () => {
    await client.send({ name: "rt/buffered", data: {} });
    const [run] = await runsFinished(engine.url, "rt-buffered", 1);
    expect(run?.status).toBe("Completed");
    expect(run?.output).toBe(6);
    // "a" was stored when "b" failed, so the retry did not run it again.
    expect(
      [calls.get("buffered-a"), calls.get("buffered-b"), calls.get("buffered-c")].map((c) => c?.length),
    ).toEqual([1, 2, 1]);
    const full = await getRun(engine.url, run?.id ?? "");
    expect(full.steps?.map((s) => [s.id, s.attempts.length])).toEqual([
      ["a", 1],
      ["b", 2],
      ["c", 1],
    ]);
  });
});
