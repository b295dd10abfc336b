import { spawn } from "node:child_process";
import { describe, expect, it } from "vitest";
import { followParent, gentleStopWaitMs, parentPidFrom } from "@/lib/parent-watch";

const tick = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A watch with a parent that can be made to go and calls that can be ended, recording what it did. */
function world(calls: number) {
  const state = { gone: false, calls, stopped: 0, lines: [] as string[] };
  const end = followParent({
    parentPid: 4242,
    callsOut: () => state.calls,
    maxWaitMs: 10_000,
    everyMs: 5,
    parentGone: () => state.gone,
    stop: () => state.stopped++,
    log: (line) => state.lines.push(line),
  });
  return { state, end };
}

describe("the web app following npm start out", () => {
  it("does nothing while the parent lives", async () => {
    const { state, end } = world(0);
    await tick(50);
    expect(state.stopped).toBe(0);
    expect(state.lines).toEqual([]);
    end();
  });

  it("stops once, at once, when the parent is gone and no call is out", async () => {
    const { state } = world(0);
    state.gone = true;
    await tick(50);
    expect(state.stopped).toBe(1);
    expect(state.lines).toEqual(["web: the process that started this app (pid 4242) is gone; stopping"]);
  });

  it("waits for the provider calls under way before stopping", async () => {
    const { state } = world(2);
    state.gone = true;
    await tick(50);
    expect(state.stopped).toBe(0);
    expect(state.lines[0]).toMatch(/stopping once the 2 provider call\(s\) under way have ended/);
    state.calls = 0;
    await tick(50);
    expect(state.stopped).toBe(1);
  });

  it("stops anyway once the wait is over", async () => {
    const state = { stopped: 0, lines: [] as string[] };
    followParent({
      parentPid: 4242,
      callsOut: () => 1,
      maxWaitMs: 20,
      everyMs: 5,
      parentGone: () => true,
      stop: () => state.stopped++,
      log: (line) => state.lines.push(line),
    });
    await tick(100);
    expect(state.stopped).toBe(1);
    expect(state.lines.at(-1)).toBe("web: 1 provider call(s) still out; stopping anyway");
  });

  it("by default sees a real process end", async () => {
    const child = spawn(process.execPath, ["-e", "setTimeout(() => {}, 60000)"], { stdio: "ignore" });
    const exited = new Promise((resolve) => child.once("exit", resolve));
    let stopped = 0;
    followParent({
      parentPid: child.pid!,
      callsOut: () => 0,
      maxWaitMs: 1000,
      everyMs: 10,
      stop: () => stopped++,
      log: () => {},
    });
    await tick(60);
    expect(stopped).toBe(0);
    child.kill("SIGKILL");
    await exited;
    await tick(60);
    expect(stopped).toBe(1);
  });

  it("reads the parent pid and the wait from the environment", () => {
    expect(parentPidFrom({ WEB_PARENT_PID: "1234" })).toBe(1234);
    for (const bad of [undefined, "", "1", "0", "12a", "-5"])
      expect(parentPidFrom({ WEB_PARENT_PID: bad })).toBeNull();
    expect(gentleStopWaitMs({})).toBe(180_000);
    expect(gentleStopWaitMs({ PROVIDER_TIMEOUT_MS: "5000" })).toBe(5000);
    expect(gentleStopWaitMs({ PROVIDER_TIMEOUT_MS: "9000000" })).toBe(300_000);
  });
});
