import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEngine } from "@/engine/server";
import { MAX_STEP_OUTPUT_BYTES } from "@/engine/limits";
import { engineFor, makeClient, runsFinished, serveApp, type App } from "./helpers";

const STATE_LIMIT = 5 * 1024 * 1024;
const CHUNK = 2 * 1024 * 1024;

// Inngest Cloud's per-run limits (1,000 steps, 4 MiB per step's data, 32 MiB of run state): a function
// that overflows them must fail here as it would there, not only in production. Limits of 5 steps and
// 5 MiB of state keep the runs short.
describe.each([
  { mode: "checkpointing", checkpointing: true },
  { mode: "one call per step", checkpointing: false },
])("engine: per-run limits ($mode)", ({ mode, checkpointing }) => {
  let engine: Awaited<ReturnType<typeof engineFor>>;
  let app: App;
  const failures: { fn: string; name: string; message: string }[] = [];

  beforeAll(async () => {
    engine = await engineFor(`limits-${checkpointing ? "cp" : "classic"}`, {
      maxSteps: 5,
      maxStateBytes: STATE_LIMIT,
      checkpointing,
    });
    const client = makeClient(`limits-${checkpointing ? "cp" : "classic"}`, engine.url);
    const onFailure =
      (fn: string) =>
      async ({ error }: { error: Error }) => {
        failures.push({ fn, name: error.name, message: error.message });
      };
    const sequential = (id: string, steps: number) =>
      client.createFunction(
        { id, triggers: { event: `limits/${id}` }, onFailure: onFailure(id) },
        async ({ step }) => {
          let sum = 0;
          for (let i = 0; i < steps; i++) sum += await step.run(`s${i}`, () => i);
          return sum;
        },
      );
    const parallel = client.createFunction(
      { id: "parallel", triggers: { event: "limits/parallel" }, onFailure: onFailure("parallel") },
      async ({ step }) => {
        const first = await step.run("first", () => 1);
        const rest = await Promise.all([0, 1, 2, 3, 4].map((i) => step.run(`p${i}`, () => i)));
        return first + rest.length;
      },
    );
    const output = (id: string, bytes: number) =>
      client.createFunction(
        { id, triggers: { event: `limits/${id}` }, onFailure: onFailure(id) },
        async ({ step }) => {
          const data = await step.run("big", () => "x".repeat(bytes));
          return data.length;
        },
      );
    // Steps of 2 MiB: two fit in 5 MiB of state, three do not.
    const state = (id: string, steps: number) =>
      client.createFunction(
        { id, triggers: { event: `limits/${id}` }, onFailure: onFailure(id) },
        async ({ step }) => {
          let total = 0;
          for (let i = 0; i < steps; i++)
            total += (await step.run(`chunk${i}`, () => "y".repeat(CHUNK))).length;
          return total;
        },
      );
    app = await serveApp(client, [
      state("state-ok", 2),
      state("state-over", 3),
      sequential("at-limit", 5),
      sequential("over-limit", 6),
      parallel,
      output("output-ok", 3 * 1024 * 1024),
      output("output-too-big", MAX_STEP_OUTPUT_BYTES + 10),
    ]);
    await engine.syncApp(app.url);
    const send = (name: string) =>
      fetch(`${engine.url}/e/key`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ name, data: {} }),
      });
    for (const id of [
      "at-limit",
      "over-limit",
      "parallel",
      "output-ok",
      "output-too-big",
      "state-ok",
      "state-over",
    ])
      await send(`limits/${id}`);
  }, 60_000);

  afterAll(async () => {
    await app?.close();
    await engine?.cleanup();
  });

  const prefix = `limits-${checkpointing ? "cp" : "classic"}`;
  const finished = async (id: string) => (await runsFinished(engine.url, `${prefix}-${id}`, 1))[0]!;

  it(`runs a function with exactly the step limit (${mode})`, async () => {
    const run = await finished("at-limit");
    expect(run.status).toBe("Completed");
    expect(run.output).toBe(0 + 1 + 2 + 3 + 4);
  });

  it(`fails a run that would take one step more, without retries, and runs onFailure (${mode})`, async () => {
    const run = await finished("over-limit");
    expect(run.status).toBe("Failed");
    expect(run.error).toMatchObject({
      name: "InngestErrFunctionOverflowed",
      message: "The function run exceeded the step limit of 5 steps.",
    });
    const steps = (await (await fetch(`${engine.url}/v1/runs/${run.id}`)).json()) as {
      data: { step_count: number };
    };
    expect(steps.data.step_count).toBeLessThanOrEqual(5);
    await runsFinished(engine.url, `${prefix}-over-limit-failure`, 1);
    expect(failures.find((f) => f.fn === "over-limit")?.message).toContain("step limit of 5 steps");
  });

  it(`fails a run whose parallel steps would pass the limit, before starting any of them (${mode})`, async () => {
    const run = await finished("parallel");
    expect(run.status).toBe("Failed");
    expect(run.error?.name).toBe("InngestErrFunctionOverflowed");
    const view = (await (await fetch(`${engine.url}/v1/runs/${run.id}`)).json()) as {
      data: { steps: { id: string }[] };
    };
    expect(view.data.steps.map((s) => s.id)).toEqual(["first"]);
  });

  it(`takes a step that returns 3 MiB and fails one that returns more than 4 MiB (${mode})`, async () => {
    expect((await finished("output-ok")).output).toBe(3 * 1024 * 1024);
    const run = await finished("output-too-big");
    expect(run.status).toBe("Failed");
    expect(run.error?.name).toBe("InngestErrStepOutputTooLarge");
    expect(run.error?.message).toContain('step "big" returned');
    expect(run.error?.message).toContain("step output size is greater than the limit");
  });

  it(`fails a run whose state would pass the limit, and keeps one within it (${mode})`, async () => {
    expect((await finished("state-ok")).output).toBe(2 * CHUNK);
    const run = await finished("state-over");
    expect(run.status).toBe("Failed");
    expect(run.error).toMatchObject({
      name: "InngestErrStateOverflowed",
      message: `The function run exceeded the state size limit of ${STATE_LIMIT} bytes.`,
    });
    const view = (await (await fetch(`${engine.url}/v1/runs/${run.id}`)).json()) as {
      data: { steps: { id: string }[] };
    };
    expect(view.data.steps.map((s) => s.id)).toEqual(["chunk0", "chunk1"]);
    await runsFinished(engine.url, `${prefix}-state-over-failure`, 1);
    expect(failures.find((f) => f.fn === "state-over")?.message).toContain("state size limit");
  });
});

describe("engine: limit options", () => {
  it("refuses a step limit outside 1–10,000 and a state limit below one byte", async () => {
    await expect(startEngine({ port: 0, maxSteps: 0, log: false })).rejects.toThrow(/maxSteps/);
    await expect(startEngine({ port: 0, maxSteps: 10_001, log: false })).rejects.toThrow(/maxSteps/);
    await expect(startEngine({ port: 0, maxStateBytes: 0, log: false })).rejects.toThrow(/maxStateBytes/);
  });
});
