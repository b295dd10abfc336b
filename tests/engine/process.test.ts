import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { processRunning, processStartTime } from "@/engine/process";

const state = (pid: number) => {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  return stat.slice(stat.lastIndexOf(")") + 2).split(" ")[0];
};

describe("processRunning", () => {
  it("knows this process, and no process at an unused pid", () => {
    expect(processRunning(process.pid)).toBe(true);
    expect(processRunning(999_999_999)).toBe(false);
  });

  it("tells a pid given to another process since from the one that took the lock", () => {
    const start = processStartTime(process.pid);
    expect(start).toMatch(/^\d+$/);
    expect(processRunning(process.pid, start)).toBe(true);
    expect(processRunning(process.pid, `${Number(start) + 1}`)).toBe(false);
  });

  it("counts a zombie, exited and never collected by its parent, as gone", async () => {
    // sh starts a short sleep, then becomes a long one that never collects it.
    const parent = spawn("sh", ["-c", "sleep 0.5 & echo $!; exec sleep 30"], {
      stdio: ["ignore", "pipe", "ignore"],
    });
    try {
      const pid = Number(
        await new Promise<string>((resolve) =>
          parent.stdout.once("data", (c: Buffer) => resolve(c.toString())),
        ),
      );
      expect(processRunning(pid)).toBe(true);
      await expect.poll(() => state(pid), { timeout: 5_000 }).toBe("Z");
      // Signal 0 still finds it: only its state tells it has exited.
      expect(() => process.kill(pid, 0)).not.toThrow();
      expect(processRunning(pid)).toBe(false);
    } finally {
      parent.kill("SIGKILL");
    }
  });
});
