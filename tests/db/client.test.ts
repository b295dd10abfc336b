import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { closeDb, createBatch, createDb, dbOptionsFromEnv, getBatch, getDb, getDbHandle } from "@/lib/db";
import { makeInput } from "./fixtures";

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "thumb-db-client-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe("db client", () => {
  it("selects the database from the environment", () => {
    expect(dbOptionsFromEnv({ DATABASE_URL: "postgres://u@h/db" })).toEqual({
      url: "postgres://u@h/db",
    });
    expect(dbOptionsFromEnv({ PGLITE_DIR: "/x/db", DATA_DIR: "/y" })).toEqual({
      dir: "/x/db",
    });
    expect(dbOptionsFromEnv({ DATA_DIR: "/y" })).toEqual({ dir: path.join("/y", "db") });
    expect(dbOptionsFromEnv({ DATABASE_URL: " " })).toEqual({
      dir: path.join(".data", "db"),
    });
  });

  it("keeps PGlite data in its folder across reopen, and refuses a second opener", async () => {
    const dir = path.join(tmp, "persist");
    const first = await createDb({ dir });
    const { batch } = await createBatch(first.db, { input: makeInput(1, ["m-a"]) });
    await expect(createDb({ dir })).rejects.toThrow(/already open in this process/);
    await first.close();
    const second = await createDb({ dir });
    try {
      expect((await getBatch(second.db, batch.id))?.cells).toHaveLength(1);
    } finally {
      await second.close();
    }
  });

  it("treats a lock left by a dead process as stale", async () => {
    const dir = path.join(tmp, "stale");
    const dead = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], {
      encoding: "utf8",
    });
    fs.writeFileSync(`${dir}.lock`, JSON.stringify({ pid: Number(dead.stdout), start: "0" }));
    const handle = await createDb({ dir, migrate: false });
    await handle.close();
    expect(fs.existsSync(`${dir}.lock`)).toBe(false);
  });

  it("leaves no lock behind when its process is stopped by a signal without closing the database", async () => {
    const dir = path.join(tmp, "signalled");
    const script = [
      `import { acquireDirLock } from "./lib/db/pglite-lock";`,
      `acquireDirLock(${JSON.stringify(dir)});`,
      `process.on("SIGTERM", () => process.exit(0));`,
      `process.stdout.write("locked");`,
      `setInterval(() => {}, 1000);`,
    ].join("\n");
    const child = spawn(path.resolve("node_modules/.bin/tsx"), ["--eval", script], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    await new Promise((resolve) => child.stdout.once("data", resolve));
    expect(fs.existsSync(`${dir}.lock`)).toBe(true);
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGTERM");
    await exited;
    expect(fs.existsSync(`${dir}.lock`)).toBe(false);
  });

  it("getDb opens one migrated database per process and closeDb releases it", async () => {
    process.env.PGLITE_DIR = path.join(tmp, "global");
    delete process.env.DATABASE_URL;
    try {
      const [a, b] = await Promise.all([getDb(), getDb()]);
      expect(a).toBe(b);
      expect((await getDbHandle()).location).toBe(path.join(tmp, "global"));
      const { batch } = await createBatch(a, { input: makeInput(1, ["m-a"]) });
      await closeDb();
      await closeDb();
      const reopened = await getDb();
      expect(reopened).not.toBe(a);
      expect(await getBatch(reopened, batch.id)).not.toBeNull();
    } finally {
      await closeDb();
      delete process.env.PGLITE_DIR;
    }
  });
});
