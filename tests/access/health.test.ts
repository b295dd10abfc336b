import { afterAll, describe, expect, it, vi } from "vitest";
import { GET as listBatches } from "@/app/api/batches/route";
import { GET } from "@/app/api/health/route";
import { closeDb } from "@/lib/db";

const saved = { ...process.env };
afterAll(async () => {
  await closeDb();
  process.env = saved;
});

describe("GET /api/health", () => {
  it("is 200 while the database answers", async () => {
    process.env.PGLITE_DIR = "memory";
    delete process.env.DATABASE_URL;
    const res = await GET();
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true, db: "ok", providerCalls: 0 });
    await closeDb();
  });

  it("is 503 with why when the database cannot be reached (a server up without it only fails requests)", async () => {
    // Nothing listens on port 1.
    process.env.DATABASE_URL = "postgres://postgres@127.0.0.1:1/none";
    const res = await GET();
    expect(res.status).toBe(503);
    const body = (await res.json()) as { ok: boolean; db: string; providerCalls: number };
    expect(body.ok).toBe(false);
    expect(body.db).toMatch(/^cannot reach the database: .*ECONNREFUSED/);
    expect(body.providerCalls).toBe(0);
  });

  it("leaves the other routes answering 503 in the API's JSON shape meanwhile, not an empty 500", async () => {
    process.env.DATABASE_URL = "postgres://postgres@127.0.0.1:1/none";
    const quiet = vi.spyOn(console, "error").mockImplementation(() => {});
    try {
      const res = await listBatches(new Request("http://studio.test/api/batches"));
      expect(res.status).toBe(503);
      expect(await res.json()).toEqual({
        error: "The database cannot be reached right now; try again shortly.",
        issues: [],
      });
      expect(quiet).toHaveBeenCalledWith(expect.stringMatching(/^GET \/api\/batches: .*ECONNREFUSED/s));
    } finally {
      quiet.mockRestore();
    }
  });
});
