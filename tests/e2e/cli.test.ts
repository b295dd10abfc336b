/**
 * `npm run batch` as a user runs it (a child process) against the whole stack: submit and follow to the URL
 * matrix, and the exit codes for failed cells, rejected input, unreadable files, no app and bad usage.
 */
import { spawn } from "node:child_process";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSimulator, type Simulator } from "@/lib/simulator";
import { BASE_REQUEST } from "../fixtures/batch-helpers";
import { freePort } from "../helpers/ports";
import { startStack, type Stack } from "../helpers/stack";

const root = path.resolve(import.meta.dirname, "../..");
const fixture = path.join(root, "tests/fixtures/batch.json");

let sim: Simulator;
let stack: Stack;

beforeAll(async () => {
  sim = await startSimulator({ port: 0, profile: { latencyMs: [50, 200], timeScale: 1 } });
  stack = await startStack({ PROVIDER_SIMULATOR_URL: sim.url });
});

afterAll(async () => {
  await stack?.stop();
  await sim?.close();
});

function cli(
  args: string[],
  stdin?: string,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(path.join(root, "node_modules/.bin/tsx"), ["scripts/batch.ts", ...args], {
      cwd: root,
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    child.stdin.end(stdin ?? "");
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

describe("npm run batch", () => {
  it("submits the seeds' batch.json, follows it and prints the 5 × 2 URL matrix (exit 0)", async () => {
    const r = await cli([fixture, "--wait", "--url", stack.appUrl]);
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trim().split("\n");
    expect(lines[0]).toMatch(new RegExp(`^${stack.appUrl}/b/[A-Za-z0-9_-]{22}$`));
    expect(lines[1]).toBe("#\tprompt\tgemini-3-pro-image\tgpt-image-1.5");
    const rows = lines.slice(2).map((l) => l.split("\t"));
    expect(rows).toHaveLength(5);
    for (const row of rows)
      for (const url of row.slice(2)) expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\S+\.jpg/);
    const img = await fetch(rows[0]?.[2] as string);
    expect([img.status, img.headers.get("content-type")]).toEqual([200, "image/jpeg"]);
    expect(r.stderr).toMatch(/note: gpt-image-1 was retired/);
    expect(r.stderr).toMatch(/10\/10 +10 succeeded/);
  });

  it("exits 1 when a cell fails, reading the batch from stdin with --json", async () => {
    const body = {
      ...BASE_REQUEST,
      prompts: ["Fine", "Blocked [sim:moderation]"],
      models: ["gpt-image-1.5"],
    };
    const r = await cli(["-", "--wait", "--json", "--url", stack.appUrl], JSON.stringify(body));
    expect(r.code, r.stderr).toBe(1);
    const out = JSON.parse(r.stdout) as { status: string; results: (string | null)[][] };
    expect(out.status).toBe("partial");
    expect(out.results[1]).toEqual([null]);
    expect(out.results[0]?.[0]).toMatch(/^http:\/\//);
  });

  it("exits 2 with each field issue on a readable line when the input is rejected", async () => {
    const body = { ...BASE_REQUEST, prompts: ["x".repeat(240)], models: ["nope"] };
    const r = await cli(["-", "--url", stack.appUrl], JSON.stringify(body));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("prompts.0: prompt is 240 characters; the limit is 200");
    expect(r.stderr).toContain('models.0: unknown model "nope"');
  });

  it("exits 2 for a missing file, invalid JSON, no app and unknown flags", async () => {
    const missing = await cli(["no-such-batch.json", "--url", stack.appUrl]);
    expect([missing.code, missing.stderr.trim()]).toEqual([
      2,
      "batch: cannot read no-such-batch.json: no such file",
    ]);
    const invalid = await cli(["-", "--url", stack.appUrl], "{not json");
    expect(invalid.code).toBe(2);
    expect(invalid.stderr).toMatch(/stdin is not valid JSON/);
    const nobody = `http://127.0.0.1:${await freePort()}`;
    const down = await cli([fixture, "--url", nobody]);
    expect(down.code).toBe(2);
    expect(down.stderr).toContain(`cannot reach the app at ${nobody} (ECONNREFUSED)`);
    const flag = await cli([fixture, "--fast"]);
    expect(flag.code).toBe(2);
    expect(flag.stderr).toMatch(/unknown option --fast[\s\S]*usage: npm run batch/);
  });
});
