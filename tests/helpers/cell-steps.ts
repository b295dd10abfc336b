/**
 * What the cell steps run against in a test file: PGlite in memory, local storage in a temporary folder,
 * and the provider simulator with the real SDKs pointed at it; the environment is restored afterwards.
 * Call at the top of a file or describe block; the fields are set before its tests run.
 */
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll } from "vitest";
import { createDb, type DbHandle } from "@/lib/db";
import { startSimulator, type Simulator, type StartSimulatorOptions } from "@/lib/simulator";

export function cellStepWorld(profile: StartSimulatorOptions["profile"], env: Record<string, string> = {}) {
  const world = {} as { sim: Simulator; handle: DbHandle };
  const saved = { ...process.env };
  let blobDir = "";
  beforeAll(async () => {
    world.sim = await startSimulator({ port: 0, profile });
    blobDir = mkdtempSync(path.join(os.tmpdir(), "cell-steps-blob-"));
    Object.assign(process.env, { PROVIDER_SIMULATOR_URL: world.sim.url, BLOB_DIR: blobDir, ...env });
    delete process.env.BLOB_READ_WRITE_TOKEN;
    world.handle = await createDb({ dir: "memory" });
  });
  afterAll(async () => {
    process.env = saved;
    await world.handle?.close();
    await world.sim?.close();
    rmSync(blobDir, { recursive: true, force: true });
  });
  return world;
}
