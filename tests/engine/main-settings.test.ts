/** `npm run engine` refuses a malformed setting at once: exit 2 and one line naming it. */
import { spawnSync } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(import.meta.dirname, "../..");

function engine(env: Record<string, string>) {
  const run = spawnSync(process.execPath, ["--import", "tsx", "engine/main.ts"], {
    cwd: ROOT,
    env: {
      ...process.env,
      ENGINE_PORT: "0",
      ENGINE_DATA_DIR: path.join(ROOT, ".data/tmp/engine-settings"),
      ...env,
    },
    encoding: "utf8",
    timeout: 30_000,
  });
  return { code: run.status, stderr: run.stderr.trim() };
}

describe("engine settings", () => {
  it("refuses an on/off setting that is neither", () => {
    expect(engine({ ENGINE_CHECKPOINTING: "maybe" })).toEqual({
      code: 2,
      stderr: 'engine: ENGINE_CHECKPOINTING must be on or off (1/0, true/false), got "maybe"',
    });
  });

  it("refuses a step limit out of range", () => {
    const run = engine({ ENGINE_MAX_STEPS: "20000" });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^engine: ENGINE_MAX_STEPS must be from 1 to \d+, got "20000"$/);
  });

  it("takes a number setting of only spaces as unset, not as 0", () => {
    // ENGINE_MAX_STEPS "  " once read as 0 and was refused; now it is the default, and the run goes on
    // to the next setting read, a malformed signing key, which stops it before it listens.
    expect(engine({ ENGINE_MAX_STEPS: "  ", INNGEST_SIGNING_KEY: "not-hex" })).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/^engine: INNGEST_SIGNING_KEY /),
    });
  });
});
