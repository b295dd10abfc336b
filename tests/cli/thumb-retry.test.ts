/**
 * `npm run thumb` against the provider simulator: a rate limit or a passing server error is tried again
 * (as a batch's cell would be), a permanent refusal is not, and every try is one request.
 */
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, beforeEach, expect, it } from "vitest";
import { startSimulator, type Simulator } from "@/lib/simulator";

let sim: Simulator;
let dir: string;

beforeAll(async () => {
  sim = await startSimulator({ port: 0, profile: { retryAfterMs: 100 } });
  dir = mkdtempSync(path.join(os.tmpdir(), "thumb-retry-"));
});
afterAll(async () => {
  await sim.close();
  rmSync(dir, { recursive: true, force: true });
});
beforeEach(() => sim.reset());

const thumb = (title: string, model: string, out: string) =>
  new Promise<{ code: number; stderr: string }>((resolve) => {
    execFile(
      path.resolve("node_modules/.bin/tsx"),
      [
        "scripts/thumb.ts",
        ...["--title", title, "--model", model, "--style", "neon", "--template", "bottom-bar"],
        ...["--font", "inter", "--out", out],
      ],
      { env: { ...process.env, PROVIDER_SIMULATOR_URL: sim.url } },
      (error, _stdout, stderr) => resolve({ code: error ? (error.code as number) : 0, stderr }),
    );
  });

it("tries a rate limit and a server error again, waiting as asked, and writes the thumbnail", async () => {
  const limited = path.join(dir, "limited.jpg");
  const first = await thumb("Rate limited twice [sim:429*2]", "gpt-image-1-mini", limited);
  expect(first.code).toBe(0);
  expect(existsSync(limited)).toBe(true);
  expect(
    first.stderr.match(/^thumb: OpenAI rate limit reached.*\(try \d of 3; trying again in 0\.1 s\)$/gm),
  ).toHaveLength(2);
  // The app's concurrency setting is no advice for a one-off command.
  expect(first.stderr).not.toMatch(/PROVIDER_CONCURRENCY/);
  const failing = path.join(dir, "failing.jpg");
  const second = await thumb("Server error once [sim:503*1]", "gemini-3-pro-image", failing);
  expect(second.code).toBe(0);
  expect(existsSync(failing)).toBe(true);
  expect(sim.requests.map((r) => [r.model, r.outcome])).toEqual([
    ["gpt-image-1-mini", "rate_limit"],
    ["gpt-image-1-mini", "rate_limit"],
    ["gpt-image-1-mini", "ok"],
    ["gemini-3-pro-image", "unavailable"],
    ["gemini-3-pro-image", "ok"],
  ]);
}, 60_000);

it("does not try a moderation block again, and exits 1 without writing", async () => {
  const out = path.join(dir, "blocked.jpg");
  const { code, stderr } = await thumb("Blocked [sim:moderation]", "gpt-image-1-mini", out);
  expect(code).toBe(1);
  expect(stderr).not.toMatch(/trying again/);
  expect(sim.requests).toHaveLength(1);
  expect(existsSync(out)).toBe(false);
}, 60_000);
