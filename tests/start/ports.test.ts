/** `npm start` refuses taken or clashing ports at once, with a readable line, before building anything. */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import net from "node:net";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { localUrl } from "../../scripts/lib/processes";

const root = path.resolve(import.meta.dirname, "../..");
let taken: net.Server;
let takenPort: number;

beforeAll(async () => {
  taken = net.createServer();
  await new Promise<void>((r) => taken.listen(0, "127.0.0.1", () => r()));
  takenPort = (taken.address() as net.AddressInfo).port;
});

afterAll(() => new Promise<void>((r) => taken.close(() => r())));

function start(env: Record<string, string>) {
  const run = spawnSync(path.join(root, "node_modules/.bin/tsx"), ["scripts/start.ts"], {
    cwd: root,
    env: { ...process.env, DATA_DIR: path.join(root, ".data/tmp/start-ports"), ...env },
    encoding: "utf8",
    timeout: 60_000,
  });
  return { code: run.status, stderr: run.stderr.trim() };
}

describe("npm start ports", () => {
  it("names the taken web port and the variable to change", async () => {
    expect(start({ PORT: String(takenPort), ENGINE_PORT: String(await freePort()) })).toEqual({
      code: 1,
      stderr: `start: port ${takenPort} (PORT) is already in use (is the app already running?); stop what uses it or set PORT to a free port`,
    });
  });

  it("names a taken engine port", async () => {
    const free = await freePort();
    const run = start({ PORT: String(free), ENGINE_PORT: String(takenPort) });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`port ${takenPort} (ENGINE_PORT) is already in use`);
  });

  it("refuses the same port for both, and a port that is not a number", () => {
    expect(start({ PORT: "4100", ENGINE_PORT: "4100" })).toEqual({
      code: 2,
      stderr: "start: PORT and ENGINE_PORT are both 4100; give them different ports",
    });
    expect(start({ PORT: "web" })).toEqual({
      code: 2,
      stderr: 'start: PORT must be a port number between 1 and 65535, got "web"',
    });
  });

  it("names every malformed setting in one run, its own and the app's, a line each", () => {
    const run = start({
      PORT: "web",
      ENGINE_PORT: "-1",
      ENGINE_MAX_CALLS: "1.5",
      APP_SECRET: "short",
      CELL_RETRIES: "-1",
    });
    expect(run.code).toBe(2);
    expect(run.stderr.split("\n")).toEqual([
      'start: PORT must be a port number between 1 and 65535, got "web"',
      'start: ENGINE_PORT must be a port number between 1 and 65535, got "-1"',
      'start: ENGINE_MAX_CALLS must be a whole number from 0 to 1,000,000 (0: no limit), got "1.5"',
      expect.stringMatching(/^start: CELL_RETRIES /),
      "start: APP_SECRET must be at least 16 characters, got 5",
    ]);
  });

  it("names HOST when it is no address of this machine, and DATA_DIR when it cannot be a folder", async () => {
    const ports = { PORT: String(await freePort()), ENGINE_PORT: String(await freePort()) };
    const host = start({ ...ports, HOST: "192.0.2.1" });
    expect(host.code).toBe(2);
    expect(host.stderr).toBe(
      'start: HOST "192.0.2.1" cannot be listened on (EADDRNOTAVAIL); set it to an address of this machine, such as 127.0.0.1 or 0.0.0.0',
    );
    const dir = mkdtempSync(path.join(os.tmpdir(), "start-data-"));
    try {
      writeFileSync(path.join(dir, "a-file"), "");
      const data = start({ ...ports, DATA_DIR: path.join(dir, "a-file", "data") });
      expect(data.code).toBe(1);
      expect(data.stderr).toBe(
        `start: DATA_DIR ${path.join(dir, "a-file", "data")} cannot be used (ENOTDIR); set DATA_DIR to a folder this user may write`,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("refuses malformed app settings, a line each, before building anything", async () => {
    const run = start({
      PORT: String(await freePort()),
      ENGINE_PORT: String(await freePort()),
      RUN_SWEEP_CRON: "garbage",
      CELL_RETRIES: "-1",
      PROMPTS_PER_RUN: "1",
      BLOB_ACCESS: "bogus",
    });
    expect(run.code).toBe(2);
    const lines = run.stderr.split("\n");
    expect(lines).toHaveLength(4);
    for (const name of ["RUN_SWEEP_CRON", "CELL_RETRIES", "PROMPTS_PER_RUN", "BLOB_ACCESS"])
      expect(lines.some((l) => l.startsWith("start: ") && l.includes(name))).toBe(true);
  });
});

async function freePort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((r) => probe.listen(0, "127.0.0.1", () => r()));
  const { port } = probe.address() as net.AddressInfo;
  await new Promise<void>((r) => probe.close(() => r()));
  return port;
}

describe("where npm start reaches the app and the engine", () => {
  it("is the address each binds to, the loopback for a wildcard", () => {
    expect(localUrl(undefined, 3000)).toBe("http://127.0.0.1:3000");
    expect(localUrl("", 3000)).toBe("http://127.0.0.1:3000");
    expect(localUrl("127.0.0.2", 3000)).toBe("http://127.0.0.2:3000");
    expect(localUrl("192.168.1.20", 8288)).toBe("http://192.168.1.20:8288");
    expect(localUrl("0.0.0.0", 3000)).toBe("http://127.0.0.1:3000");
    expect(localUrl("::", 3000)).toBe("http://[::1]:3000");
    expect(localUrl("::1", 3000)).toBe("http://[::1]:3000");
    expect(localUrl("studio.lan", 3000)).toBe("http://studio.lan:3000");
  });
});

describe("npm start on a data folder in use", () => {
  it("names the process using it and DATA_DIR, for the engine's folder and the database's", async () => {
    for (const lock of ["engine/LOCK", "db.lock"]) {
      const dataDir = mkdtempSync(path.join(os.tmpdir(), "start-busy-"));
      try {
        const file = path.join(dataDir, lock);
        mkdirSync(path.dirname(file), { recursive: true });
        // This test's own process: alive for as long as the check runs.
        writeFileSync(file, lock === "db.lock" ? JSON.stringify({ pid: process.pid }) : String(process.pid));
        const run = start({
          DATA_DIR: dataDir,
          PORT: String(await freePort()),
          ENGINE_PORT: String(await freePort()),
        });
        expect(run).toEqual({
          code: 1,
          stderr: `start: ${dataDir} is in use by another running app (process ${process.pid}); stop it, or set DATA_DIR to another folder`,
        });
      } finally {
        rmSync(dataDir, { recursive: true, force: true });
      }
    }
  });
});
