/**
 * The settings `npm start` reads itself (its ports, the engine's call limit), checked together with the
 * web app's (lib/settings.ts) before anything is built: every problem is one line naming its variable,
 * so one run names them all. Blank counts as unset, as for every numeric setting.
 */
import { accessSync, constants, mkdirSync } from "node:fs";
import path from "node:path";
import { readNumber } from "@/lib/number-setting";
import { settingsProblems } from "@/lib/settings";

type Source = Readonly<Record<string, string | undefined>>;

export interface StartPorts {
  web: number;
  engine: number;
  /** The provider simulator's (PROVIDER_SIMULATOR=1); 0 lets the system choose. */
  sim: number;
}

export type StartSettings = { ok: true; ports: StartPorts } | { ok: false; problems: string[] };

/** Whether `npm start` runs the provider simulator itself. */
export const runsSimulator = (env: Source) => ["1", "true"].includes(env.PROVIDER_SIMULATOR ?? "");

function port(env: Source, name: string, fallback: number, problems: string[]): number | null {
  const read = readNumber(env[name], { min: 1, max: 65535 });
  if (typeof read !== "string") return read ?? fallback;
  problems.push(`${name} must be a port number between 1 and 65535, got "${env[name]?.trim()}"`);
  return null;
}

export function startSettings(env: Source): StartSettings {
  const problems: string[] = [];
  const web = port(env, "PORT", 3000, problems);
  const engine = port(env, "ENGINE_PORT", 8288, problems);
  const sim = runsSimulator(env) ? port(env, "SIM_PORT", 0, problems) : 0;
  if (web !== null && web === engine)
    problems.push(`PORT and ENGINE_PORT are both ${web}; give them different ports`);
  // The engine's own rule (engine/main.ts), checked here so a bad value stops `npm start` before the build.
  const calls = readNumber(env.ENGINE_MAX_CALLS, { min: 0, max: 1_000_000, unit: " (0: no limit)" });
  if (typeof calls === "string") problems.push(`ENGINE_MAX_CALLS ${calls}`);
  problems.push(...settingsProblems(env));
  if (problems.length > 0 || web === null || engine === null || sim === null) return { ok: false, problems };
  return { ok: true, ports: { web, engine, sim } };
}

/**
 * The engine's state folder: ENGINE_DATA_DIR (relative to `root`), else `engine` in the data folder.
 * Blank counts as unset here too, so `ENGINE_DATA_DIR=` does not send the engine into the repository.
 */
export function engineDataDir(env: Source, root: string, dataDir: string): string {
  const set = env.ENGINE_DATA_DIR?.trim();
  return set ? path.resolve(root, set) : path.join(dataDir, "engine");
}

/** Why the data folder cannot be used (a file in its path, no write permission), naming DATA_DIR; or null. */
export function dataDirProblem(dataDir: string): string | null {
  try {
    mkdirSync(dataDir, { recursive: true });
    accessSync(dataDir, constants.W_OK | constants.X_OK);
    return null;
  } catch (error) {
    const e = error as NodeJS.ErrnoException;
    return `DATA_DIR ${dataDir} cannot be used (${e.code ?? e.message}); set DATA_DIR to a folder this user may write`;
  }
}
