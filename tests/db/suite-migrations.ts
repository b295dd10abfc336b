import path from "node:path";
import { sql } from "drizzle-orm";
import { expect, it } from "vitest";
import { createDb, migrate, raiseCounter, readCounter, rowsOf } from "@/lib/db";
import { readMigrationFolder } from "@/lib/db/migration-files";
import { migrations as embedded } from "@/lib/db/migrations/embedded";
import type { Ctx } from "./repo-suite";

async function tableNames(handle: { db: Parameters<typeof migrate>[0] }): Promise<string[]> {
  const result = await handle.db.execute(
    sql`select table_name from information_schema.tables where table_schema = 'public' order by 1`,
  );
  return rowsOf<{ table_name: string }>(result).map((row) => row.table_name);
}

export function migrationTests(ctx: Ctx): void {
  it("embeds exactly the SQL drizzle-kit generated (rerun lib/db/embed-migrations.ts if not)", () => {
    expect(embedded).toEqual(readMigrationFolder(path.resolve("lib/db/migrations")));
  });

  it("applies migrations on open and re-applies nothing", async () => {
    expect(await tableNames(ctx.handle)).toEqual([
      "app_counters",
      "batch_events",
      "batch_titles",
      "batches",
      "cells",
    ]);
    expect(await migrate(ctx.handle.db)).toEqual({ applied: [] });
  });

  it("keeps named counters: 0 until raised, and every one of concurrent raises counts", async () => {
    const db = ctx.handle.db;
    expect(await readCounter(db, "test_counter")).toBe(0);
    const raised = await Promise.all([1, 2, 3].map(() => raiseCounter(db, "test_counter")));
    expect(raised.sort()).toEqual([1, 2, 3]);
    expect(await readCounter(db, "test_counter")).toBe(3);
    expect(await readCounter(db, "other_counter")).toBe(0);
  });

  it("lets concurrent starts race safely: one applies, the others find nothing to do", async () => {
    const options = await ctx.driver.emptyDatabase();
    const handles = ctx.driver.concurrent
      ? await Promise.all([1, 2, 3].map(() => createDb({ ...options, migrate: false })))
      : [await createDb({ ...options, migrate: false })];
    try {
      const targets = ctx.driver.concurrent ? handles : [handles[0]!, handles[0]!, handles[0]!];
      const results = await Promise.all(targets.map((h) => migrate(h.db)));
      const applied = results.map((r) => r.applied.length).sort();
      expect(applied).toEqual([0, 0, embedded.length]);
      expect(await tableNames(handles[0]!)).toEqual([
        "app_counters",
        "batch_events",
        "batch_titles",
        "batches",
        "cells",
      ]);
    } finally {
      await Promise.all(handles.map((h) => h.close()));
    }
  });

  it("keeps a cell's one other take from before cells kept several (0005_other_takes)", async () => {
    const handle = await createDb({ ...(await ctx.driver.emptyDatabase()), migrate: false });
    try {
      const upTo = embedded.findIndex((m) => m.tag === "0005_other_takes");
      await migrate(handle.db, embedded.slice(0, upTo));
      const alternate = {
        rawKey: "raw/a.png",
        finalKey: "final/a.jpg",
        width: 1,
        height: 1,
        bytes: 1,
        startedAt: null,
        finishedAt: null,
        durationMs: null,
      };
      await handle.db.execute(sql`insert into batches (id, input) values ('b1', '{}'::jsonb)`);
      await handle.db
        .execute(sql`insert into cells (id, batch_id, prompt_index, prompt, model, style, template, font, alternate)
        values ('c1', 'b1', 0, 't', 'm', 's', 'tp', 'f', ${JSON.stringify(alternate)}::jsonb),
               ('c2', 'b1', 1, 't', 'm', 's', 'tp', 'f', null)`);
      expect((await migrate(handle.db)).applied).toEqual(embedded.slice(upTo).map((m) => m.tag));
      const rows = rowsOf<{ id: string; others: unknown }>(
        await handle.db.execute(sql`select id, others from cells order by id`),
      );
      expect(rows).toEqual([
        { id: "c1", others: [alternate] },
        { id: "c2", others: [] },
      ]);
    } finally {
      await handle.close();
    }
  });

  it("fills the batch list's titles for batches made before it (0007_batch_titles)", async () => {
    const handle = await createDb({ ...(await ctx.driver.emptyDatabase()), migrate: false });
    try {
      const upTo = embedded.findIndex((m) => m.tag === "0007_batch_titles");
      await migrate(handle.db, embedded.slice(0, upTo));
      const input = (prompts: unknown) => JSON.stringify({ prompts, models: ["m"] });
      await handle.db.execute(sql`insert into batches (id, input) values
        ('b1', ${input(["First title", 'Second, with "quotes"', null])}::jsonb),
        ('b2', ${input([])}::jsonb), ('b3', '{}'::jsonb), ('b4', ${input("not a list")}::jsonb)`);
      expect((await migrate(handle.db)).applied).toEqual(embedded.slice(upTo).map((m) => m.tag));
      const rows = rowsOf<{ batch_id: string; prompt_index: number; title: string }>(
        await handle.db.execute(sql`select * from batch_titles order by batch_id, prompt_index`),
      );
      expect(rows).toEqual([
        { batch_id: "b1", prompt_index: 0, title: "First title" },
        { batch_id: "b1", prompt_index: 1, title: 'Second, with "quotes"' },
      ]);
    } finally {
      await handle.close();
    }
  });

  it("rolls a failing migration back completely", async () => {
    const handle = await createDb({ ...(await ctx.driver.emptyDatabase()), migrate: false });
    try {
      const broken = [
        ...embedded,
        {
          tag: "9999_broken",
          when: Date.now() + 1e9,
          hash: "x",
          statements: ["create table half_done (id int)", "select no_such_column from batches"],
        },
      ];
      await expect(migrate(handle.db, broken)).rejects.toThrow();
      expect(await tableNames(handle)).toEqual([]);
      expect((await migrate(handle.db)).applied).toHaveLength(embedded.length);
    } finally {
      await handle.close();
    }
  });
}
