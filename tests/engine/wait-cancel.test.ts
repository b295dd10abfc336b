import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { engineFor, listRuns, makeClient, runsFinished, serveApp, sleep, until, type App } from "./helpers";

describe("engine: sleep, waitForEvent, cancellation", () => {
  let engine: Awaited<ReturnType<typeof engineFor>>;
  let app: App;
  let client: ReturnType<typeof makeClient>;
  const afterCancel: string[] = [];

  beforeAll(async () => {
    engine = await engineFor("wait");
    client = makeClient("wc", engine.url);
    const waiter = client.createFunction(
      { id: "waiter", triggers: { event: "wc/start" } },
      async ({ event, step }) => {
        const d = event.data as { order: string };
        const approved = await step.waitForEvent("approval", {
          event: "wc/approved",
          timeout: "5s",
          if: "event.data.order == async.data.order && async.data.ok == true",
        });
        const quick = await step.waitForEvent("never", { event: "wc/never", timeout: "1s" });
        return { order: d.order, approved: approved?.data ?? null, quick };
      },
    );
    const sleeper = client.createFunction(
      { id: "sleeper", triggers: { event: "wc/sleep" } },
      async ({ step }) => {
        const t0 = await step.run("t0", () => Date.now());
        await step.sleep("pause", "1s");
        const t1 = await step.run("t1", () => Date.now());
        return t1 - t0;
      },
    );
    const cancellable = client.createFunction(
      {
        id: "cancellable",
        triggers: { event: "wc/job" },
        cancelOn: [{ event: "wc/cancelled", if: "event.data.batchId == async.data.batchId" }],
      },
      async ({ event, step }) => {
        await step.sleep("long", "3s");
        await step.run("after", () => afterCancel.push((event.data as { batchId: string }).batchId));
      },
    );
    const slowFinish = client.createFunction(
      { id: "slow-finish", triggers: { event: "wc/slow" }, timeouts: { finish: "1s" } },
      async ({ step }) => {
        await step.sleep("too-long", "4s");
        afterCancel.push("slow-finish");
      },
    );
    const slowStart = client.createFunction(
      { id: "slow-start", triggers: { event: "wc/queued" }, concurrency: 1, timeouts: { start: "1s" } },
      async ({ step }) => step.run("hold", () => sleep(1500)),
    );
    app = await serveApp(client, [waiter, sleeper, cancellable, slowFinish, slowStart]);
    await engine.syncApp(app.url);
  });
  afterAll(async () => {
    await app?.close();
    await engine?.cleanup();
  });

  it("resumes waitForEvent on a matching event (CEL if) and times out to null", async () => {
    await client.send([
      { name: "wc/start", data: { order: "A" } },
      { name: "wc/start", data: { order: "B" } },
    ]);
    await until("both waiting", async () => {
      const r = await listRuns(engine.url, { function_id: "wc-waiter", include: "steps" });
      return r.length === 2 && r.every((x) => x.steps?.some((s) => s.status === "Waiting")) ? r : undefined;
    });
    await client.send([
      { name: "wc/approved", data: { order: "A", ok: false } },
      { name: "wc/approved", data: { order: "A", ok: true, by: "ann" } },
    ]);
    const runs = await runsFinished(engine.url, "wc-waiter", 2, 20_000);
    const byOrder = Object.fromEntries(runs.map((r) => [(r.output as { order: string }).order, r.output]));
    expect(byOrder.A).toEqual({ order: "A", approved: { order: "A", ok: true, by: "ann" }, quick: null });
    expect(byOrder.B).toEqual({ order: "B", approved: null, quick: null });
  });

  it("sleeps for the requested duration", async () => {
    await client.send({ name: "wc/sleep", data: {} });
    const [run] = await runsFinished(engine.url, "wc-sleeper", 1);
    expect(run?.output as number).toBeGreaterThanOrEqual(1000);
    expect(run?.output as number).toBeLessThan(2500);
  });

  it("cancels matching runs with cancelOn and leaves others running", async () => {
    await client.send([
      { name: "wc/job", data: { batchId: "x" } },
      { name: "wc/job", data: { batchId: "x" } },
      { name: "wc/job", data: { batchId: "y" } },
    ]);
    await until("jobs sleeping", async () => {
      const r = await listRuns(engine.url, { function_id: "wc-cancellable", include: "steps" });
      return r.length === 3 && r.every((x) => x.steps?.some((s) => s.status === "Sleeping")) ? r : undefined;
    });
    await client.send({ name: "wc/cancelled", data: { batchId: "x" } });
    const runs = await runsFinished(engine.url, "wc-cancellable", 3, 20_000);
    const status = runs.map((r) => `${(r.event.data as { batchId: string }).batchId}:${r.status}`).sort();
    expect(status).toEqual(["x:Cancelled", "x:Cancelled", "y:Completed"]);
    expect(afterCancel).toEqual(["y"]);
  });

  it("cancels runs that exceed timeouts.finish or timeouts.start", async () => {
    await client.send({ name: "wc/slow", data: {} });
    await client.send([
      { name: "wc/queued", data: { n: 1 } },
      { name: "wc/queued", data: { n: 2 } },
    ]);
    const [slow] = await runsFinished(engine.url, "wc-slow-finish", 1, 10_000);
    expect(slow?.status).toBe("Cancelled");
    expect(slow?.error?.message).toBe("run exceeded timeouts.finish");
    const queued = await runsFinished(engine.url, "wc-slow-start", 2, 10_000);
    expect(queued.map((r) => r.status).sort()).toEqual(["Cancelled", "Completed"]);
    expect(queued.find((r) => r.status === "Cancelled")?.error?.message).toBe("run exceeded timeouts.start");
  });

  it("cancels a run through the API", async () => {
    const { ids } = await client.send({ name: "wc/job", data: { batchId: "api" } });
    const [run] = await until("api job", async () => {
      const r = await listRuns(engine.url, { function_id: "wc-cancellable", event_id: ids[0] ?? "" });
      return r.length ? r : undefined;
    });
    const res = await fetch(`${engine.url}/v1/runs/${run?.id}`, { method: "DELETE" });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { data: { status: string } }).data.status).toBe("Cancelled");
    await sleep(3300);
    expect(afterCancel).toEqual(["y"]);
  });
});
