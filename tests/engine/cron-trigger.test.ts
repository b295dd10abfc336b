/**
 * Cron triggers on the engine: a schedule starts a run of its function alone with the event Inngest's
 * servers send, and an engine restarted within the same minute does not start it twice. The engine's
 * cron clock is moved to just before a minute's end, so nothing waits a real minute.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cronEventId } from "@/engine/cron-timers";
import { startEngine, type EngineHandle } from "@/engine/server";
import { listRuns, makeClient, runsFinished, serveApp, tempDir, until, type App } from "./helpers";

const MINUTE = 60_000;

/** A clock that reads `lead` ms before the next minute boundary now, and that boundary. */
function clockBeforeMinute(lead: number): { clock: () => number; boundary: number } {
  const now = Date.now();
  const boundary = (Math.floor(now / MINUTE) + 2) * MINUTE;
  const offset = boundary - lead - now;
  return { clock: () => Date.now() + offset, boundary };
}

describe("engine: cron triggers", () => {
  const data = tempDir("cron");
  let engine: EngineHandle | undefined;
  let app: App;
  let firstMinute = 0;

  async function start(clock: () => number): Promise<EngineHandle> {
    engine = await startEngine({ port: 0, dataDir: data.dir, retryBaseMs: 20, log: false, cronClock: clock });
    return engine;
  }

  beforeAll(async () => {
    const { clock, boundary } = clockBeforeMinute(800);
    firstMinute = boundary;
    const first = await start(clock);
    const client = makeClient("crons", first.url);
    const scheduled = client.createFunction(
      { id: "tick", triggers: [{ cron: "* * * * *" }, { event: "crons/now" }] },
      async ({ event, step }) => {
        return step.run("record", () => ({ name: event.name, data: event.data }));
      },
    );
    // A schedule that does not fire now, and a plain event function that must not hear the timer.
    const yearly = client.createFunction({ id: "yearly", triggers: [{ cron: "0 0 1 1 *" }] }, async () => 1);
    const other = client.createFunction({ id: "other", triggers: [{ event: "crons/*" }] }, async () => 2);
    app = await serveApp(client, [scheduled, yearly, other]);
    await first.syncApp(app.url);
    expect(first.core.crons.upcoming()).toContainEqual({
      fnId: "crons-tick",
      cron: "* * * * *",
      at: boundary,
    });
  });

  afterAll(async () => {
    await app?.close();
    await engine?.close();
    data.cleanup();
  });

  it("starts a run of the scheduled function alone at the minute, with inngest/scheduled.timer", async () => {
    const [run] = await runsFinished(engine!.url, "crons-tick", 1, 10_000);
    expect(run?.status).toBe("Completed");
    expect(run?.event.name).toBe("inngest/scheduled.timer");
    expect(run?.event.data).toEqual({ cron: "* * * * *" });
    expect(run?.output).toEqual({ name: "inngest/scheduled.timer", data: { cron: "* * * * *" } });
    expect(await listRuns(engine!.url, { function_id: "crons-other" })).toEqual([]);
    expect(await listRuns(engine!.url, { function_id: "crons-yearly" })).toEqual([]);
  });

  it("does not start the same minute's run again after a restart, and arms the next one", async () => {
    const [run] = await listRuns(engine!.url, { function_id: "crons-tick" });
    expect(run!.event.id).toBe(cronEventId("crons-tick", "* * * * *", firstMinute));
    await engine!.close();
    // Back to just before the minute that already fired: its event id is known, so no second run.
    const offset = firstMinute - 300 - Date.now();
    const again = await start(() => Date.now() + offset);
    await new Promise((r) => setTimeout(r, 800));
    expect(await listRuns(again.url, { function_id: "crons-tick" })).toHaveLength(1);
    const next = again.core.crons.upcoming().find((u) => u.fnId === "crons-tick");
    expect(next?.at).toBe(firstMinute + MINUTE);
  });

  it("still runs the function for its event trigger", async () => {
    const client = makeClient("crons", engine!.url);
    await client.send({ name: "crons/now", data: { by: "hand" } });
    const runs = await until("the event's run", async () => {
      const all = await runsFinished(engine!.url, "crons-tick", 2, 10_000);
      return all.find((r) => r.event.name === "crons/now");
    });
    expect(runs.output).toEqual({ name: "crons/now", data: { by: "hand" } });
  });

  it("does not make up a minute it wakes up long after (the machine slept), and arms the next one", async () => {
    const dir = tempDir("cron-sleep");
    let jump = 0;
    const { clock, boundary } = clockBeforeMinute(500);
    const sleepy = await startEngine({
      port: 0,
      dataDir: dir.dir,
      log: false,
      cronClock: () => clock() + jump,
    });
    try {
      const client = makeClient("sleepy", sleepy.url);
      const fn = client.createFunction({ id: "tick", triggers: [{ cron: "* * * * *" }] }, async () => 1);
      const sleepyApp = await serveApp(client, [fn]);
      try {
        await sleepy.syncApp(sleepyApp.url);
        expect(sleepy.core.crons.upcoming()[0]?.at).toBe(boundary);
        // The timer fires on time by the process's own clock, but the wall clock says 5½ minutes later.
        // Half a minute, not a whole one: Node may fire a timer a millisecond before Date.now() reaches
        // it, and a wall clock just short of boundary + 5 min would rightly start that minute's run.
        jump = 5 * MINUTE + MINUTE / 2;
        await until("the next minute armed", () =>
          sleepy.core.crons.upcoming()[0]!.at > boundary ? true : undefined,
        );
        expect(sleepy.core.crons.upcoming()[0]?.at).toBe(boundary + 6 * MINUTE);
        expect(await listRuns(sleepy.url, { function_id: "sleepy-tick" })).toEqual([]);
      } finally {
        await sleepyApp.close();
      }
    } finally {
      await sleepy.close();
      dir.cleanup();
    }
  });
});
