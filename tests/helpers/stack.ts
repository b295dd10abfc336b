/**
 * Starts the built web app and the local engine as real child processes on free ports with a throwaway
 * data dir, exactly as `npm start` runs them (the SDK in cloud mode, checking the engine's signatures).
 * Used by end-to-end, crash and API tests.
 */
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { embeddedKeys, type EmbeddedKeys } from "../../scripts/lib/embedded-keys";
import { spawnEngine, spawnWeb, waitForAppSync, waitForHttp, type Proc } from "../../scripts/lib/processes";
import { freePort } from "./ports";

export interface Stack {
  appUrl: string;
  engineUrl: string;
  dataDir: string;
  /** The stack's Inngest keys: the engine's API needs the signing key, its /e/ the event key. */
  keys: EmbeddedKeys;
  /** fetch on the engine with the signing key as bearer (e.g. `engineApi("/v1/runs")`). */
  engineApi(pathAndQuery: string, init?: RequestInit): Promise<Response>;
  web: Proc;
  engine: Proc;
  startWeb(): Promise<void>;
  startEngine(): Promise<void>;
  stop(): Promise<void>;
}

export async function startStack(env: Record<string, string | undefined> = {}, quiet = true): Promise<Stack> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "thumbs-stack-"));
  const [webPort, enginePort] = [await freePort(), await freePort()];
  const appUrl = `http://127.0.0.1:${webPort}`;
  const engineUrl = `http://127.0.0.1:${enginePort}`;
  const io = quiet && !process.env.STACK_LOGS ? "ignore" : "pipe";
  const engineEnv = { ENGINE_RETRY_BASE_MS: "200", ENGINE_SYNC_INTERVAL_MS: "1000", ...env };
  const keys = embeddedKeys(dataDir);
  const stack: Stack = {
    appUrl,
    engineUrl,
    dataDir,
    keys,
    engineApi: (pathAndQuery, init = {}) =>
      fetch(`${engineUrl}${pathAndQuery}`, {
        ...init,
        headers: { ...(init.headers as Record<string, string>), authorization: `Bearer ${keys.signingKey}` },
      }),
    web: undefined as unknown as Proc,
    engine: undefined as unknown as Proc,
    async startWeb() {
      stack.web = spawnWeb({ port: webPort, engineUrl, dataDir, env, io, keys });
      await waitForHttp(`${appUrl}/api/health`, 90_000, stack.web);
    },
    async startEngine() {
      const dir = path.join(dataDir, "engine");
      stack.engine = spawnEngine({ port: enginePort, appUrl, dataDir: dir, env: engineEnv, io, keys });
      await waitForHttp(`${engineUrl}/health`, 60_000, stack.engine);
    },
    async stop() {
      await Promise.all([stack.web?.kill("SIGKILL"), stack.engine?.kill("SIGKILL")]);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  await Promise.all([stack.startEngine(), stack.startWeb()]);
  await waitForAppSync(engineUrl, appUrl);
  return stack;
}
