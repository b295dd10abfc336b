import { PGlite } from "@electric-sql/pglite";
import { sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/pglite";
import { afterAll, describe, expect, it } from "vitest";
import { forDrizzle } from "@/lib/db/pglite-client";

// Every type drizzle parses itself (so asks PGlite to leave as text), beside ones PGlite parses.
const PROBE = sql`select
  timestamp '2026-11-21 06:00:00.123456' as ts,
  timestamptz '2026-11-21 06:00:00+02' as tstz,
  date '2026-11-21' as d,
  interval '1 day 02:03:04' as iv,
  array[1.5, 2.25]::numeric[] as nums,
  array[timestamp '2026-01-01 00:00:00']::timestamp[] as tss,
  array[timestamptz '2026-01-01 00:00:00+00']::timestamptz[] as tstzs,
  array[interval '1 hour'] as ivs,
  array[date '2026-01-02'] as ds,
  '{"a": [1, 2]}'::jsonb as j,
  42::int as n,
  true as b`;

describe("PGlite client for drizzle (parsers set once, not per query)", () => {
  const plain = new PGlite();
  const tuned = new PGlite();
  afterAll(async () => {
    await Promise.all([plain.close(), tuned.close()]);
  });

  it("returns exactly what drizzle gets with its per-query parsers, in and outside transactions", async () => {
    const reference = drizzle({ client: plain });
    const fast = drizzle({ client: await forDrizzle(tuned) });
    const expected = (await reference.execute(PROBE)).rows;
    expect((await fast.execute(PROBE)).rows).toEqual(expected);
    expect(await fast.transaction((tx) => tx.execute(PROBE)).then((r) => r.rows)).toEqual(expected);
    // Timestamps stayed text for drizzle's column mappers; JSON and numbers were parsed by PGlite.
    expect(expected[0]).toMatchObject({ ts: "2026-11-21 06:00:00.123456", n: 42, b: true, j: { a: [1, 2] } });
  });
});
