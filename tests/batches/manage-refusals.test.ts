/** The owner controls' refusals before any control runs: a stranger's request, an unknown batch. */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

// A request without the owner's cookie or token (read through Next's request scope in the app); a
// test may say that its bearer was not checked, as while wrong admin tokens are throttled.
const decision = { granted: false as const, retryAfterMs: 0 };
vi.mock("@/lib/batches/owner-cookie", () => ({ ownerDecision: async () => ({ ...decision }) }));

const saved = { ...process.env };
let db: typeof import("@/lib/db");
let manage: typeof import("@/lib/batches/manage");

beforeAll(async () => {
  Object.assign(process.env, { PGLITE_DIR: "memory" });
  delete process.env.DATABASE_URL;
  db = await import("@/lib/db");
  manage = await import("@/lib/batches/manage");
});

afterAll(async () => {
  await db?.closeDb();
  process.env = saved;
});

const control = vi.fn(async () => null);
const ask = (id: string) =>
  manage.manageAction(
    new Request(`http://studio.test/api/batches/${id}/cancel`, { method: "POST" }),
    id,
    control,
  );

describe("an owner control asked by someone who does not own the batch", () => {
  it("is 404 for a batch that does not exist, and 403 for one that does; neither runs the control", async () => {
    const unknown = await ask("no-such-batch-id-at-all");
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toEqual({
      error: 'No batch with id "no-such-batch-id-at-all".',
      issues: [{ path: "id", message: "unknown batch" }],
    });

    const { batch } = await db.createBatch(await db.getDb(), {
      input: {
        prompts: ["Someone else's"],
        models: ["local-preview"],
        style: "neon",
        template: "bottom-bar",
        font: "inter",
        canvas: "blog",
      },
    });
    const stranger = await ask(batch.id);
    expect(stranger.status).toBe(403);
    expect(((await stranger.json()) as { error: string }).error).toMatch(
      /^Only the person who created this batch/,
    );
    expect(control).not.toHaveBeenCalled();
  });

  it("is 429 with Retry-After, before any lookup, while wrong passwords and admin tokens are throttled", async () => {
    decision.retryAfterMs = 41_500;
    try {
      const refused = await ask("no-such-batch-id-at-all");
      expect([refused.status, refused.headers.get("retry-after")]).toEqual([429, "42"]);
      expect(await refused.json()).toEqual({
        error: "Too many wrong studio passwords or admin tokens in the last minute: try again in 42 s.",
        issues: [],
      });
      expect(control).not.toHaveBeenCalled();
    } finally {
      decision.retryAfterMs = 0;
    }
  });
});
