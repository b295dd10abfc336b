/** A server without pg_trgm (or a role that may not create it): migrations still apply, search still works. */
import { PGlite } from "@electric-sql/pglite";
import { sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/pglite";
import { afterAll, expect, it } from "vitest";
import { listBatches, listImages, migrate, rowsOf, type Db } from "@/lib/db";
import * as schema from "@/lib/db/schema";
import { migrations } from "@/lib/db/migrations/embedded";
import { forDrizzle } from "@/lib/db/pglite-client";
import { newBatch, succeed } from "./fixtures";

// No `extensions`: CREATE EXTENSION pg_trgm fails here, as on a server that lacks it.
const client = new PGlite();
afterAll(() => client.close());

it("applies every migration and searches by title without the trigram indexes", async () => {
  const db = drizzle({ client: await forDrizzle(client), schema }) as unknown as Db;
  expect((await migrate(db)).applied).toEqual(migrations.map((m) => m.tag));
  const indexes = rowsOf<{ indexname: string }>(
    await db.execute(sql`select indexname from pg_indexes where tablename in ('cells', 'batch_titles')`),
  ).map((row) => row.indexname);
  expect(indexes).toContain("cells_gallery_idx");
  expect(indexes).not.toContain("cells_prompt_trgm_idx");
  expect(indexes).toContain("batch_titles_pk");
  expect(indexes).not.toContain("batch_titles_trgm_idx");
  const { batch, cells } = await newBatch(db, 2, ["m-a"], { prompts: ["Espresso at home", "Tea"] });
  for (const cell of cells) await succeed(db, cell);
  const found = await listImages(db, { style: batch.input.style, search: "ESPRESSO" });
  expect(found.images.map((i) => i.prompt)).toEqual(["Espresso at home"]);
  expect((await listBatches(db, { search: "espresso AT" })).batches.map((b) => b.id)).toEqual([batch.id]);
});
