import { afterAll, beforeAll } from "vitest";

/**
 * An in-memory PGlite database for this test file, with `env` set while it runs: `ctx.lib` is the
 * app's database module and `ctx.fx` the fixtures, both loaded after the environment is in place.
 */
export function memoryDb(env: Record<string, string> = {}) {
  const saved = { ...process.env };
  const ctx = {} as { lib: typeof import("@/lib/db"); fx: typeof import("../db/fixtures") };
  beforeAll(async () => {
    Object.assign(process.env, { PGLITE_DIR: "memory", ...env });
    delete process.env.DATABASE_URL;
    ctx.lib = await import("@/lib/db");
    ctx.fx = await import("../db/fixtures");
  });
  afterAll(async () => {
    await ctx.lib?.closeDb();
    process.env = saved;
  });
  return ctx;
}
