import { describe, expect, it } from "vitest";
import { settingsProblems } from "@/lib/settings";
import { engineDataDir, startSettings } from "../../scripts/lib/start-settings";

describe("the app's settings, checked at start", () => {
  it("find nothing wrong with an empty environment or good values", () => {
    expect(settingsProblems({})).toEqual([]);
    expect(
      settingsProblems({
        PROVIDER_CONCURRENCY_OPENAI: "4",
        CELL_RETRIES: "2",
        PROMPTS_PER_RUN: "100",
        RUN_MAX_STEPS: "500",
        MAX_IMAGES_PER_BATCH: "400",
        MAX_BATCH_COST_USD: "2.5",
        COMPOSE_WASM: "off",
        APP_MODE: "production",
        RUN_SWEEP_CRON: "off",
        BATCH_PAGE_TITLES: "20",
      }),
    ).toEqual([]);
  });

  it("name every malformed one, once each", () => {
    const problems = settingsProblems({
      RUN_SWEEP_CRON: "garbage",
      BATCH_PAGE_TITLES: "0",
      BLOB_ACCESS: "bogus",
      PROVIDER_CONCURRENCY_GOOGLE: "0",
      CELL_RETRIES: "-1",
      PROMPTS_PER_RUN: "1",
      COMPOSE_CONCURRENCY: "x",
      COMPOSE_VIPS_THREADS: "99",
      MAX_IMAGES_PER_BATCH: "20000",
      MAX_BATCH_COST_USD: "free",
      DATABASE_POOL_MAX: "0",
      COMPOSE_WASM: "maybe",
      APP_MODE: "prod",
    });
    const named = (name: string) => problems.filter((p) => p.includes(name));
    for (const name of [
      "RUN_SWEEP_CRON",
      "BATCH_PAGE_TITLES",
      "BLOB_ACCESS",
      "PROVIDER_CONCURRENCY_GOOGLE",
      "CELL_RETRIES",
      "COMPOSE_CONCURRENCY",
      "COMPOSE_VIPS_THREADS",
      "MAX_BATCH_COST_USD",
      "DATABASE_POOL_MAX",
      "COMPOSE_WASM",
      "APP_MODE",
    ])
      expect(named(name), name).toHaveLength(1);
    // A bad PROMPTS_PER_RUN is named once (not again by RUN_MAX_STEPS, which depends on it).
    expect(named("PROMPTS_PER_RUN")).toHaveLength(1);
    expect(named("MAX_IMAGES_PER_BATCH")).toEqual([
      'MAX_IMAGES_PER_BATCH must be a whole number from 1 to 10,000, got "20000"',
    ]);
    expect(problems).toHaveLength(13);
  });

  it("check RUN_MAX_STEPS against PROMPTS_PER_RUN", () => {
    expect(settingsProblems({ PROMPTS_PER_RUN: "100", RUN_MAX_STEPS: "50" })).toEqual([
      "RUN_MAX_STEPS (50) must be at least PROMPTS_PER_RUN + 3 (103): a run's first wave takes up to PROMPTS_PER_RUN + 2 steps",
    ]);
  });
});

describe("npm start's own settings", () => {
  it("take blank as unset, and read SIM_PORT only when it runs the simulator", () => {
    expect(startSettings({ PORT: " ", ENGINE_PORT: "", SIM_PORT: "x" })).toEqual({
      ok: true,
      ports: { web: 3000, engine: 8288, sim: 0 },
    });
    expect(startSettings({ PORT: " 4100 ", PROVIDER_SIMULATOR: "1", SIM_PORT: "4102" })).toEqual({
      ok: true,
      ports: { web: 4100, engine: 8288, sim: 4102 },
    });
    expect(startSettings({ PROVIDER_SIMULATOR: "1", SIM_PORT: "70000" })).toEqual({
      ok: false,
      problems: ['SIM_PORT must be a port number between 1 and 65535, got "70000"'],
    });
  });

  it("name a port clash beside the app's problems, and ENGINE_MAX_CALLS as the engine reads it", () => {
    expect(startSettings({ PORT: "8288", APP_SECRET: "0123456789abcde", ENGINE_MAX_CALLS: "0" })).toEqual({
      ok: false,
      problems: [
        "PORT and ENGINE_PORT are both 8288; give them different ports",
        "APP_SECRET must be at least 16 characters, got 15",
      ],
    });
    expect(startSettings({ ENGINE_MAX_CALLS: "-2" })).toMatchObject({
      problems: ['ENGINE_MAX_CALLS must be a whole number from 0 to 1,000,000 (0: no limit), got "-2"'],
    });
    expect(startSettings({ ENGINE_MAX_CALLS: "64", APP_SECRET: "0123456789abcdef" }).ok).toBe(true);
  });

  it("put the engine's state in DATA_DIR/engine unless ENGINE_DATA_DIR is set, blank counting as unset", () => {
    const root = "/repo";
    const dataDir = "/srv/studio-data";
    for (const blank of [undefined, "", "  "])
      expect(engineDataDir({ ENGINE_DATA_DIR: blank }, root, dataDir), JSON.stringify(blank)).toBe(
        "/srv/studio-data/engine",
      );
    expect(engineDataDir({ ENGINE_DATA_DIR: " state/engine " }, root, dataDir)).toBe("/repo/state/engine");
    expect(engineDataDir({ ENGINE_DATA_DIR: "/var/engine" }, root, dataDir)).toBe("/var/engine");
  });
});
