/** APP_SECRET: made in the data dir on one machine, required in production against shared storage. */
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { appSecretProblem } from "@/lib/batches/owner";
import { settingsProblems } from "@/lib/settings";

const dirs: string[] = [];

afterEach(() => {
  vi.unstubAllEnvs();
  vi.resetModules();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A fresh lib/batches/owner (its secret is cached per process) under `env`, with its own data dir. */
async function freshOwner(env: Record<string, string>) {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "app-secret-"));
  dirs.push(dataDir);
  for (const name of ["APP_SECRET", "APP_MODE", "DATABASE_URL", "BLOB_READ_WRITE_TOKEN"])
    vi.stubEnv(name, "");
  vi.stubEnv("DATA_DIR", dataDir);
  for (const [name, value] of Object.entries(env)) vi.stubEnv(name, value);
  vi.resetModules();
  return { owner: await import("@/lib/batches/owner"), dataDir };
}

describe("APP_SECRET", () => {
  it("may be unset on one machine, but not in production mode against a shared database or blob store", () => {
    expect(appSecretProblem({})).toBeNull();
    expect(appSecretProblem({ APP_MODE: "production" })).toBeNull();
    expect(appSecretProblem({ DATABASE_URL: "postgres://db/x", APP_MODE: "embedded" })).toBeNull();
    expect(appSecretProblem({ DATABASE_URL: "postgres://db/x", APP_SECRET: "0123456789abcdef" })).toBeNull();
    for (const env of [{ DATABASE_URL: "postgres://db/x" }, { BLOB_READ_WRITE_TOKEN: "vercel_blob_rw_x" }]) {
      expect(appSecretProblem({ ...env, APP_SECRET: " " })).toMatch(
        /^APP_SECRET must be set in production mode \(DATABASE_URL or BLOB_READ_WRITE_TOKEN is set\)/,
      );
      expect(settingsProblems(env).filter((p) => p.includes("APP_SECRET"))).toHaveLength(1);
    }
  });

  it("is refused on first use in production mode, with no secret file written", async () => {
    const { owner, dataDir } = await freshOwner({ DATABASE_URL: "postgres://db/x" });
    expect(() => owner.ownerToken("some-batch")).toThrow(
      /APP_SECRET: APP_SECRET must be set in production mode/,
    );
    expect(existsSync(path.join(dataDir, "app-secret"))).toBe(false);
  });

  it("is made once in the data dir in embedded mode, and taken from the environment when set", async () => {
    const embedded = await freshOwner({});
    const token = embedded.owner.ownerToken("some-batch");
    expect(existsSync(path.join(embedded.dataDir, "app-secret"))).toBe(true);
    expect(embedded.owner.ownerToken("some-batch")).toBe(token);
    const set = await freshOwner({ DATABASE_URL: "postgres://db/x", APP_SECRET: "a production secret" });
    expect(set.owner.appSecret().toString()).toBe("a production secret");
    expect(existsSync(path.join(set.dataDir, "app-secret"))).toBe(false);
  });
});
