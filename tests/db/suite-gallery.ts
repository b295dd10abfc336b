import { sql, type SQL } from "drizzle-orm";
import { expect, it } from "vitest";
import {
  beginAttempt,
  completeCell,
  containsPattern,
  createBatch,
  deleteBatch,
  deleteImages,
  shownImages,
  getBatch,
  getBatchRow,
  InvalidCursorError,
  listBatches,
  listImages,
  cancelBatch,
  countImages,
  recordAttemptResult,
  recordAttemptStart,
  requeueTakes,
  rowsOf,
  spendSoFar,
  type CellRow,
  type Db,
  type GalleryImage,
  type ImageFilter,
  titleSearch,
} from "@/lib/db";
import { batches } from "@/lib/db/schema";
import { at, makeInput, newBatch, succeed } from "./fixtures";
import type { Ctx } from "./repo-suite";

/** Every image listImages gives, a page of one at a time, each page from the last one's cursor. */
async function oneByOne(db: Db, params: ImageFilter): Promise<GalleryImage[]> {
  const walked: GalleryImage[] = [];
  let cursor: string | null = null;
  do {
    const page = await listImages(db, { ...params, limit: 1, cursor });
    walked.push(...page.images);
    cursor = page.nextCursor;
  } while (cursor);
  return walked;
}

export function galleryTests(ctx: Ctx): void {
  it("pages newest first, stable while new images arrive, with filters", async () => {
    const { db } = ctx.handle;
    const { batch, cells } = await newBatch(db, 5, ["m-a", "m-b"]);
    const style = batch.input.style;
    // Finish them concurrently so several share a millisecond: ties must break on id.
    await Promise.all(cells.slice(0, 8).map((cell) => succeed(db, cell)));
    const expected = (await listImages(db, { style, limit: 100 })).images;
    expect(expected).toHaveLength(8);
    const order = expected.map((i) => [i.createdAt.getTime(), i.cellId] as const);
    expect(order).toEqual([...order].sort((a, b) => b[0] - a[0] || (a[1] < b[1] ? 1 : a[1] > b[1] ? -1 : 0)));

    const seen: GalleryImage[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page = await listImages(db, { style, limit: 3, cursor });
      seen.push(...page.images);
      cursor = page.nextCursor;
      // New images land between page loads; they belong before the first page, never in later ones.
      if (pages === 0) await succeed(db, at(cells, 8));
      if (pages === 1) await succeed(db, at(cells, 9));
      pages += 1;
    } while (cursor);
    expect(pages).toBe(3);
    expect(seen.map((i) => i.cellId)).toEqual(expected.map((i) => i.cellId));

    const first = at(seen, 0);
    expect(first).toMatchObject({
      batchId: batch.id,
      style,
      template: "bold-bar",
      font: "inter",
      width: 1280,
    });
    expect(first.key).toBe(`final/${first.cellId}.webp`);
    expect(first.prompt).toMatch(/^Title \d$/);

    const all = (await listImages(db, { style, limit: 100 })).images;
    expect(all).toHaveLength(10);
    expect((await listImages(db, { style, model: "m-b" })).images.every((i) => i.model === "m-b")).toBe(true);
    expect((await listImages(db, { style, model: "m-b" })).images).toHaveLength(5);
    // Several ids (a retired model and its successor): the images of either.
    expect((await listImages(db, { style, model: ["m-b", "m-z"] })).images).toHaveLength(5);
    expect((await listImages(db, { style, model: ["m-a", "m-b"], limit: 100 })).images).toHaveLength(10);
    expect((await listImages(db, { batchId: batch.id, limit: 100 })).images).toHaveLength(10);
    expect((await listImages(db, { style, template: "other" })).images).toEqual([]);
    const newest = at(all, 0).createdAt;
    expect((await listImages(db, { style, from: new Date(newest.getTime() + 1) })).images).toEqual([]);
    expect(
      (await listImages(db, { style, to: new Date(newest.getTime() + 1), limit: 100 })).images,
    ).toHaveLength(10);
    expect((await listImages(db, { style, limit: 10 })).nextCursor).toBeNull();
  });

  it("finds images by text in their title, case-insensitively, with % _ and \\ taken literally", async () => {
    const { db } = ctx.handle;
    const prompts = ["Espresso at home", "ÉCOLE d'été: 50% off", "snake_case titles", "back\\slash", "Tea"];
    const { batch, cells } = await newBatch(db, prompts.length, ["m-a"], { prompts });
    await Promise.all(cells.map((cell) => succeed(db, cell)));
    const style = batch.input.style;
    const titles = async (search: string) =>
      (await listImages(db, { style, search, limit: 100 })).images.map((i) => i.prompt).sort();
    expect(await titles("espresso")).toEqual(["Espresso at home"]);
    expect(await titles("école")).toEqual(["ÉCOLE d'été: 50% off"]);
    expect(await titles("50%")).toEqual(["ÉCOLE d'été: 50% off"]);
    expect(await titles("%")).toEqual(["ÉCOLE d'été: 50% off"]);
    expect(await titles("e_c")).toEqual(["snake_case titles"]);
    expect(await titles("_")).toEqual(["snake_case titles"]);
    expect(await titles("k\\s")).toEqual(["back\\slash"]);
    expect(await titles("nothing like it")).toEqual([]);
    expect(await titles("e")).toHaveLength(4);
  });

  it("shows a cell being taken again with the picture it keeps, in its place, until the take ends", async () => {
    const { db } = ctx.handle;
    const { batch, cells } = await newBatch(db, 4, ["m-a"]);
    const done: CellRow[] = [];
    for (const cell of cells) done.push(await succeed(db, cell));
    const style = batch.input.style;
    const before = (await listImages(db, { style, limit: 100 })).images;
    const second = at(done, 1);
    const taken = await requeueTakes(db, batch.id, [{ promptIndex: second.promptIndex, model: "m-a" }]);
    expect(taken).toMatchObject({ kind: "queued" });
    // Same images, same order, same keys and times: the kept picture stands in for the take.
    expect((await listImages(db, { style, limit: 100 })).images).toEqual(before);
    await recordAttemptStart(db, second.id, { attempt: 0 });
    expect(await oneByOne(db, { style })).toEqual(before);
    // A finished cell at the same millisecond as the kept picture: the two kinds interleave by id, as
    // the cursor compares them, so paging one at a time still walks the same order.
    const twin = at(done, 3);
    await db.execute(
      sql`update cells set finished_at = ${second.finishedAt!.toISOString()}::timestamptz where id = ${twin.id}`,
    );
    const tied = (await listImages(db, { style, limit: 100 })).images;
    const pair = tied.filter((i) => i.cellId === twin.id || i.cellId === second.id).map((i) => i.cellId);
    // Ids order by the database's collation, which the cursor uses too: ask it.
    const byId = rowsOf<{ id: string }>(
      await db.execute(sql`select id from cells where id in (${twin.id}, ${second.id}) order by id desc`),
    ).map((row) => row.id);
    expect(pair).toEqual(byId);
    expect(await oneByOne(db, { style })).toEqual(tied);
    await db.execute(
      sql`update cells set finished_at = ${twin.finishedAt!.toISOString()}::timestamptz where id = ${twin.id}`,
    );
    const kept = before.find((i) => i.cellId === second.id)!;
    expect(kept).toMatchObject({ key: second.finalKey, width: 1280, height: 720, bytes: 1000 });
    expect(kept.createdAt).toEqual(second.finishedAt);
    // Filters apply to the kept picture: by its own time, and by the cell's title and model.
    const exactly = { style, from: second.finishedAt!, to: new Date(second.finishedAt!.getTime() + 1) };
    expect((await listImages(db, exactly)).images.map((i) => i.cellId)).toContain(second.id);
    expect((await listImages(db, { style, search: second.prompt })).images.map((i) => i.cellId)).toEqual([
      second.id,
    ]);
    expect((await listImages(db, { style, model: "m-b" })).images).toEqual([]);
    expect((await shownImages(db, [second.id, at(done, 0).id])).map((i) => i.key).sort()).toEqual(
      [second.finalKey, at(done, 0).finalKey].sort(),
    );
    // The take succeeds: the cell shows the new picture, finished now, first in the gallery.
    await recordAttemptResult(db, second.id, {
      attempt: 0,
      outcome: "ok",
      costUsd: 0.04,
      rawKey: "raw/take.png",
    });
    await completeCell(db, second.id, { finalKey: "final/take.webp", width: 1280, height: 720, bytes: 900 });
    const after = (await listImages(db, { style, limit: 100 })).images;
    expect(after.map((i) => i.cellId)).toEqual([
      second.id,
      ...before.map((i) => i.cellId).filter((id) => id !== second.id),
    ]);
    expect(at(after, 0)).toMatchObject({ key: "final/take.webp", bytes: 900 });
  });

  /** Indexes of `table`, by name: their definitions. */
  const indexesOf = async (table: string) =>
    new Map(
      rowsOf<{ indexname: string; indexdef: string }>(
        await ctx.handle.db.execute(
          sql`select indexname, indexdef from pg_indexes where tablename = ${table}`,
        ),
      ).map((i) => [i.indexname, i.indexdef]),
    );

  /**
   * The plan of `query` with sequential scans off after `setup` (dropping indexes), in a transaction
   * rolled back: with few rows the planner prefers another index (or a scan) to the one a test is about.
   */
  async function planAfter(setup: SQL[], query: SQL): Promise<string> {
    const rollback = new Error("rollback");
    let plan = "";
    await expect(
      ctx.handle.db.transaction(async (tx) => {
        for (const statement of setup) await tx.execute(statement);
        await tx.execute(sql`set local enable_seqscan = off`);
        plan = rowsOf<Record<string, string>>(await tx.execute(sql`explain ${query}`))
          .map((row) => Object.values(row)[0])
          .join("\n");
        throw rollback;
      }),
    ).rejects.toBe(rollback);
    return plan;
  }

  it("counts the images matching the filters, kept pictures of takes under way too, up to a cap", async () => {
    const { db } = ctx.handle;
    const { batch, cells } = await newBatch(db, 3, ["m-a", "m-b"]);
    const done = await Promise.all(cells.slice(0, 5).map((cell) => succeed(db, cell)));
    const batchId = batch.id;
    expect(await countImages(db, { batchId })).toEqual({ count: 5, capped: false });
    expect(await countImages(db, { batchId, model: "m-b" })).toEqual({ count: 2, capped: false });
    // As many as listImages walks, whatever cursor the page had.
    const walked = await oneByOne(db, { batchId, model: "m-a" });
    expect(await countImages(db, { batchId, model: "m-a", cursor: "ignored" } as ImageFilter)).toEqual({
      count: walked.length,
      capped: false,
    });
    // A cell being taken again still shows (and counts) the picture it keeps.
    await requeueTakes(db, batchId, [{ promptIndex: at(done, 0).promptIndex, model: at(done, 0).model }]);
    expect(await countImages(db, { batchId })).toEqual({ count: 5, capped: false });
    // Past the cap it says so rather than reading on.
    expect(await countImages(db, { batchId }, 3)).toEqual({ count: 3, capped: true });
    expect(await countImages(db, { batchId }, 5)).toEqual({ count: 5, capped: false });
    expect(await countImages(db, { batchId, search: "no such title" })).toEqual({ count: 0, capped: false });
  });

  it("searches titles through a trigram index (pg_trgm, loaded by PGlite and shipped with Debian's server)", async () => {
    const indexes = await indexesOf("cells");
    expect(indexes.get("cells_prompt_trgm_idx")).toMatch(
      /USING gin \(prompt gin_trgm_ops\) WHERE \(status = 'succeeded'::text\)/,
    );
    const others = [...indexes.keys()].filter((name) => name.startsWith("cells_gallery"));
    const plan = await planAfter(
      others.map((name) => sql`drop index ${sql.identifier(name)}`),
      sql`select id from cells where status = 'succeeded' and prompt ilike ${containsPattern("espresso")}`,
    );
    expect(plan).toContain("Bitmap Index Scan on cells_prompt_trgm_idx");
  });

  it("searches the batch list's titles through a trigram index", async () => {
    const indexes = await indexesOf("batch_titles");
    expect(indexes.get("batch_titles_trgm_idx")).toMatch(/USING gin \(title gin_trgm_ops\)$/);
    // The condition listBatches uses, without the primary key the planner prefers on few rows.
    const plan = await planAfter(
      [sql`alter table batch_titles drop constraint batch_titles_pk`],
      sql`select ${batches.id} from ${batches} where ${titleSearch("espresso")}`,
    );
    expect(plan).toContain("Bitmap Index Scan on batch_titles_trgm_idx");
  });

  it("rejects a tampered cursor", async () => {
    const { db } = ctx.handle;
    await expect(listImages(db, { cursor: "not-a-cursor" })).rejects.toBeInstanceOf(InvalidCursorError);
    const bogus = Buffer.from(JSON.stringify(["yesterday", 5])).toString("base64url");
    await expect(listImages(db, { cursor: bogus })).rejects.toBeInstanceOf(InvalidCursorError);
  });

  it("refuses cursors whose time or id encodeCursor cannot have written, before the database sees them", async () => {
    const { db } = ctx.handle;
    const { batch } = await newBatch(db, 1, ["m-a"]);
    const id = batch.id;
    // Each of these reached Postgres before (a 500) or read a date the calendar lacks as another one.
    const tampered = [
      ["0", id],
      ["2026-02-31", id],
      ["2026-02-31T00:00:00.000Z", id],
      ["2026-01-01", id],
      ["2026-01-01T00:00:00Z", id],
      ["+275760-09-13T00:00:00.000Z", id],
      ["2026-01-01T00:00:00.000Z", "\u0000"],
      ["2026-01-01T00:00:00.000Z", "\ud800"],
      ["2026-01-01T00:00:00.000Z", "x y"],
      ["2026-01-01T00:00:00.000Z", "x".repeat(65)],
      ["2026-01-01T00:00:00.000Z", `${id}\u0000`],
    ].map((pair) => Buffer.from(JSON.stringify(pair)).toString("base64url"));
    for (const cursor of tampered) {
      await expect(listImages(db, { cursor }), cursor).rejects.toBeInstanceOf(InvalidCursorError);
      await expect(listBatches(db, { cursor }), cursor).rejects.toBeInstanceOf(InvalidCursorError);
    }
    // What encodeCursor writes still pages: a batch id with its creator tag (33 characters) included.
    // Ids from before 4812b0f could start with - or _.
    for (const rowId of [id, `${id}abcdefghijk`, `-${id.slice(1)}`, "_x"]) {
      const cursor = Buffer.from(JSON.stringify(["2000-01-01T00:00:00.000Z", rowId])).toString("base64url");
      await expect(listBatches(db, { cursor })).resolves.toMatchObject({ batches: [] });
    }
  });

  it("deletes finished images, returns their blob keys, skips unfinished ones, keeps spend", async () => {
    const { db } = ctx.handle;
    const { batch, cells } = await newBatch(db, 3, ["m-a"]);
    await succeed(db, at(cells, 0), 0.04);
    await succeed(db, at(cells, 1), 0.04);
    await recordAttemptStart(db, at(cells, 2).id, { attempt: 0 });
    const spend = await spendSoFar(db, batch.id);
    const result = await deleteImages(db, [at(cells, 0).id, at(cells, 2).id, "unknown-id", at(cells, 0).id]);
    expect(result.deleted).toEqual([at(cells, 0).id]);
    expect(result.skipped.sort()).toEqual([at(cells, 2).id, "unknown-id"].sort());
    expect(result.keys.sort()).toEqual([`final/${at(cells, 0).id}.webp`, `raw/${at(cells, 0).id}.png`]);
    expect(result.batchIds).toEqual([batch.id]);
    const left = (await listImages(db, { batchId: batch.id })).images.map((i) => i.cellId);
    expect(left).toEqual([at(cells, 1).id]);
    expect(await spendSoFar(db, batch.id)).toBeCloseTo(spend);
    expect((await getBatch(db, batch.id))?.cells).toHaveLength(2);
    expect(await deleteImages(db, [])).toEqual({
      deleted: [],
      skipped: [],
      keys: [],
      kept: 0,
      batchIds: [],
    });
  });

  it("skips a cancelled cell while its call from before the cancel may still land, so its cost finds it", async () => {
    const { db } = ctx.handle;
    const { batch, cells } = await newBatch(db, 1, ["m-a"]);
    const cell = at(cells, 0);
    await recordAttemptStart(db, cell.id, { attempt: 0 });
    await cancelBatch(db, batch.id, { reason: "stop" });
    const window = { callWindowMs: 60_000 };
    expect(await deleteImages(db, [cell.id], window)).toMatchObject({ deleted: [], skipped: [cell.id] });
    await recordAttemptResult(db, cell.id, {
      attempt: 0,
      outcome: "ok",
      costUsd: 0.04,
      rawKey: `raw/${cell.id}-late.png`,
    });
    expect(await spendSoFar(db, batch.id)).toBeCloseTo(0.04);
    expect(await deleteImages(db, [cell.id], window)).toMatchObject({
      deleted: [cell.id],
      keys: [`raw/${cell.id}-late.png`],
    });
    expect(await spendSoFar(db, batch.id)).toBeCloseTo(0.04);
  });

  it("releases the reservation a deleted cell's call past the window still held, in the delete", async () => {
    const { db } = ctx.handle;
    const { batch, cells } = await newBatch(db, 2, ["m-a"], { budgetUsd: 1 });
    const call = (promptIndex: number) =>
      beginAttempt(
        db,
        { batchId: batch.id, promptIndex, model: "m-a" },
        { attempt: 0, reuseRaw: true, priceOf: () => 0.04 },
      );
    expect((await call(0)).kind).toBe("started");
    expect((await call(1)).kind).toBe("started");
    await cancelBatch(db, batch.id, { reason: "stop" });
    const reserved = async () => Number((await getBatchRow(db, batch.id))?.reservedUsd);
    expect(await reserved()).toBeCloseTo(0.08);
    // Cell 0's call is past the window (0 ms here) and never logged its end: deleting it lets its
    // reservation go; cell 1's call may still land, so that cell stays, and so does its reservation.
    expect(await deleteImages(db, [at(cells, 0).id], { callWindowMs: 0 })).toMatchObject({
      deleted: [at(cells, 0).id],
    });
    expect(await reserved()).toBeCloseTo(0.04);
    expect(await deleteImages(db, [at(cells, 1).id], { callWindowMs: 60_000 })).toMatchObject({
      skipped: [at(cells, 1).id],
    });
    expect(await reserved()).toBeCloseTo(0.04);
  });

  it("keeps a raw image on delete while another batch's cell still uses it", async () => {
    const { db } = ctx.handle;
    const source = await newBatch(db, 1, ["m-a"]);
    await succeed(db, at(source.cells, 0));
    const rawKey = `raw/${at(source.cells, 0).id}.png`;
    const other = await createBatch(db, {
      input: makeInput(1, ["m-a"]),
      cells: [{ promptIndex: 0, prompt: "Title 1", model: "m-a", rawKey }],
    });
    const result = await deleteImages(db, [at(source.cells, 0).id]);
    expect([result.keys, result.kept]).toEqual([[`final/${at(source.cells, 0).id}.webp`], 1]);
    expect(await deleteBatch(db, other.batch.id)).toEqual({ deleted: true, keys: [rawKey] });
  });

  it("finds batches by text in any of their titles", async () => {
    const { db } = ctx.handle;
    const tag = `zq${Date.now().toString(36)}`;
    const first = await newBatch(db, 2, ["m-a"], { prompts: ["Plain", `Second ${tag.toUpperCase()} title`] });
    const second = await newBatch(db, 1, ["m-a"], { prompts: [`${tag} 100%`] });
    const ids = async (search: string, status?: "queued" | "succeeded") =>
      (await listBatches(db, { search, status, limit: 100 })).batches.map((b) => b.id);
    expect(await ids(tag)).toEqual([second.batch.id, first.batch.id]);
    expect(await ids(`${tag} 100%`)).toEqual([second.batch.id]);
    expect(await ids(`${tag}%`)).toEqual([]);
    expect(await ids(tag, "succeeded")).toEqual([]);
    expect(await ids(tag, "queued")).toHaveLength(2);
    // Quotes and backslashes are taken literally; a match is within one title.
    const two = await newBatch(db, 2, ["m-a"], { prompts: [`Say "${tag}" \\ now`, "Other"] });
    expect(await ids(`"${tag}" \\`)).toEqual([two.batch.id]);
    expect(await ids(`${tag}" \\\\`)).toEqual([]);
    expect(await ids(`now Other`)).toEqual([]);
    // A title is found with no cell: its images deleted, or left out of a restyle (no stored picture).
    for (const cell of two.cells.filter((c) => c.promptIndex === 0)) await succeed(db, cell);
    await deleteImages(
      db,
      two.cells.filter((c) => c.promptIndex === 0).map((c) => c.id),
    );
    expect(await ids(`Say "${tag}"`)).toEqual([two.batch.id]);
    const restyled = await createBatch(db, {
      input: makeInput(2, ["m-a"], { prompts: ["Kept title", `Left out ${tag}`] }),
      cells: [{ promptIndex: 0, prompt: "Kept title", model: "m-a", rawKey: "raw/kept.png" }],
    });
    expect(await ids(`left out ${tag}`)).toEqual([restyled.batch.id]);
    // Deleting a batch deletes its titles.
    await deleteBatch(db, restyled.batch.id);
    const left = await db.execute(
      sql`select count(*)::int as n from batch_titles where batch_id = ${restyled.batch.id}`,
    );
    expect(rowsOf<{ n: number }>(left)).toEqual([{ n: 0 }]);
  });

  it("lists batches newest first with counts, paged", async () => {
    const { db } = ctx.handle;
    const older = await newBatch(db, 2, ["m-a"]);
    await succeed(db, at(older.cells, 0));
    const newer = await newBatch(db, 1, ["m-a", "m-b"]);
    const first = await listBatches(db, { limit: 1 });
    expect(first.batches.map((b) => b.id)).toEqual([newer.batch.id]);
    expect(first.batches[0]).toMatchObject({
      prompts: 1,
      models: ["m-a", "m-b"],
      cells: 2,
      succeeded: 0,
      title: "Title 1",
    });
    const second = await listBatches(db, { limit: 1, cursor: first.nextCursor });
    expect(second.batches[0]).toMatchObject({ id: older.batch.id, cells: 2, succeeded: 1 });
    await expect(listBatches(db, { cursor: "junk" })).rejects.toBeInstanceOf(InvalidCursorError);
    // Those asked for by id (the gallery's filter from a link), whatever their age.
    const picked = await listBatches(db, { ids: [older.batch.id, "no-such-batch"] });
    expect(picked.batches.map((b) => [b.id, b.succeeded])).toEqual([[older.batch.id, 1]]);
    expect((await listBatches(db, { ids: [] })).batches).toEqual([]);
  });

  it("lists only batches with a picture to show when asked (the gallery's batch filter)", async () => {
    const { db } = ctx.handle;
    const none = await newBatch(db, 2, ["m-a"]);
    const one = await newBatch(db, 2, ["m-a"]);
    await succeed(db, at(one.cells, 1));
    const retaken = await newBatch(db, 1, ["m-a"]);
    await succeed(db, at(retaken.cells, 0));
    await requeueTakes(db, retaken.batch.id, [{ promptIndex: 0, model: "m-a" }]);
    const deleted = await newBatch(db, 1, ["m-a"]);
    await succeed(db, at(deleted.cells, 0));
    await deleteImages(db, [at(deleted.cells, 0).id]);
    // Newer than every batch it leaves out, so a page of 3 proves they are skipped in the query.
    const listed = (await listBatches(db, { withImages: true, limit: 3 })).batches.map((b) => b.id);
    expect(listed.slice(0, 2)).toEqual([retaken.batch.id, one.batch.id]);
    expect(listed).not.toContain(none.batch.id);
    expect(listed).not.toContain(deleted.batch.id);
    const all = (await listBatches(db, { limit: 100 })).batches.map((b) => b.id);
    expect(all).toEqual(expect.arrayContaining([none.batch.id, deleted.batch.id]));
  });

  it("gives each listed batch the first finished image as its cover, versioned by when it finished", async () => {
    const { db } = ctx.handle;
    const { batch, cells } = await newBatch(db, 3, ["m-b", "m-a"]);
    const find = async () => (await listBatches(db, { limit: 5 })).batches.find((b) => b.id === batch.id)!;
    expect(await find()).toMatchObject({ coverKey: null, coverVersion: null });
    const cell = (promptIndex: number, model: string) =>
      cells.find((c) => c.promptIndex === promptIndex && c.model === model)!;
    // Title 3 finishes first: it is the cover until an earlier title has an image.
    await succeed(db, cell(2, "m-b"));
    expect((await find()).coverKey).toBe(`final/${cell(2, "m-b").id}.webp`);
    // Title 2 on both models: the cover is title 2's, on the batch's first model (m-b), as the grid
    // shows it first, whichever finished first.
    await succeed(db, cell(1, "m-a"));
    await succeed(db, cell(1, "m-b"));
    const listed = await find();
    expect(listed.coverKey).toBe(`final/${cell(1, "m-b").id}.webp`);
    const finished = (await getBatch(db, batch.id))!.cells.find(
      (c) => c.id === cell(1, "m-b").id,
    )!.finishedAt!;
    expect(listed.coverVersion).toBe(String(finished.getTime()));
    // While the cover is taken again, the picture it keeps stays the cover.
    await requeueTakes(db, batch.id, [{ promptIndex: 1, model: "m-b" }]);
    expect(await find()).toMatchObject({ coverKey: listed.coverKey, coverVersion: listed.coverVersion });
  });
}
