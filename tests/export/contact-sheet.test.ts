/** Contact sheet: geometry, pixels where the cells are, text drawn, caching by content version. */
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  MAX_CELL_WIDTH,
  MIN_CELL_HEIGHT,
  SHEET_HEIGHT,
  SHEET_WIDTH,
  cellBox,
  sheetLayout,
} from "@/lib/export/contact-sheet-layout";
import { BACKGROUND, FAILED_PLACEHOLDER, PLACEHOLDER } from "@/lib/export/contact-sheet";
import {
  contactSheetBytes,
  contactSheetKey,
  contactSheetState,
  contactSheetVersion,
  sheetInput,
} from "@/lib/export/contact-sheet-cache";
import type { Box } from "@/lib/compose/text/layout";
import type { BlobStore } from "@/lib/storage";
import { toBatchDto } from "@/lib/batches/dto";
import { urlFor } from "@/lib/batches/service";
import { getBatch, recordAttemptStart, requeueTakes } from "@/lib/db";
import { failWith, makeBatch, openExportEnv, succeedWith, type Colour, type ExportEnv } from "./helpers";

let env: ExportEnv;
beforeAll(async () => {
  env = await openExportEnv();
});
afterAll(async () => {
  await env?.close();
});

function overlaps(a: Box, b: Box): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

describe("sheetLayout", () => {
  it("fits small grids at most 320 px wide in the canvas aspect, inside 1200×630, without overlaps", () => {
    for (const [rows, cols, aspect] of [
      [1, 1, 1200 / 630],
      [2, 3, 16 / 9],
      [4, 3, 1],
      [10, 5, 16 / 9],
      [1, 8, 16 / 9],
    ] as const) {
      const layout = sheetLayout(rows, cols, aspect);
      expect(layout.cellWidth).toBeLessThanOrEqual(MAX_CELL_WIDTH);
      expect(Math.abs(layout.cellWidth / layout.cellHeight - aspect)).toBeLessThan(0.05 * aspect);
      expect(layout.hiddenRows).toBe(0);
      const boxes = Array.from({ length: rows }, (_, r) =>
        Array.from({ length: cols }, (_, c) => cellBox(layout, r, c)!),
      ).flat();
      for (const box of boxes) {
        expect(box.x).toBeGreaterThanOrEqual(0);
        expect(box.y).toBeGreaterThan(layout.header.y + layout.header.height);
        expect(box.x + box.width).toBeLessThanOrEqual(SHEET_WIDTH);
        expect(box.y + box.height).toBeLessThanOrEqual(SHEET_HEIGHT);
      }
      for (let i = 0; i < boxes.length; i++)
        for (let j = i + 1; j < boxes.length; j++) expect(overlaps(boxes[i]!, boxes[j]!)).toBe(false);
    }
  });

  it("wraps a long batch into side-by-side blocks of rows when that gives bigger cells", () => {
    const layout = sheetLayout(8, 3, 1200 / 630);
    expect(layout.blocks).toBe(2);
    expect(layout.hiddenRows).toBe(0);
    expect(layout.cellWidth).toBeGreaterThan(150);
    const firstBlockEnd = cellBox(layout, 0, 2)!;
    const secondBlockStart = cellBox(layout, 4, 0)!;
    expect(secondBlockStart.y).toBe(cellBox(layout, 0, 0)!.y);
    expect(secondBlockStart.x).toBeGreaterThan(firstBlockEnd.x + firstBlockEnd.width);
    expect(sheetLayout(2, 3, 16 / 9).blocks).toBe(1);
  });

  it("shows the first rows of a long batch and counts the rest", () => {
    const layout = sheetLayout(50, 3, 16 / 9);
    expect(layout.cellHeight).toBeGreaterThanOrEqual(MIN_CELL_HEIGHT);
    expect(layout.rowsShown).toBeLessThan(50);
    expect(layout.hiddenRows).toBe(50 - layout.rowsShown);
    expect(layout.footer).not.toBeNull();
    expect(cellBox(layout, layout.rowsShown, 0)).toBeNull();
    const last = cellBox(layout, layout.rowsShown - 1, 2)!;
    expect(last.y + last.height).toBeLessThanOrEqual(layout.footer!.y);
    expect(layout.footer!.y + layout.footer!.height).toBeLessThanOrEqual(SHEET_HEIGHT);
  });
});

async function decode(jpeg: Buffer) {
  const { data, info } = await sharp(jpeg).raw().toBuffer({ resolveWithObject: true });
  const at = (x: number, y: number): Colour => {
    const i = (Math.round(y) * info.width + Math.round(x)) * info.channels;
    return [data[i]!, data[i + 1]!, data[i + 2]!];
  };
  return { info, at };
}

const near = (a: Colour, b: Colour, tolerance = 12) => a.every((v, i) => Math.abs(v - b[i]!) <= tolerance);

describe("contact sheet of a batch", () => {
  it("is a 1200×630 JPEG with each finished image in its cell and placeholders for the rest", async () => {
    const { batch, cells } = await makeBatch(
      env.db,
      ["Red and green", "Blue and failed"],
      ["local-preview", "gpt-image-1.5"],
    );
    const colours: Colour[] = [
      [220, 30, 30],
      [30, 200, 60],
      [40, 60, 230],
    ];
    await succeedWith(env, cells[0]!, colours[0]!);
    await succeedWith(env, cells[1]!, colours[1]!);
    await succeedWith(env, cells[2]!, colours[2]!);
    await failWith(env, cells[3]!, "blocked");
    const state = (await contactSheetState(batch.id, env.db))!;
    expect(state.final).toBe(true);
    const jpeg = await contactSheetBytes(state, env.store);
    const { info, at } = await decode(jpeg);
    expect([info.format, info.width, info.height]).toEqual(["raw", SHEET_WIDTH, SHEET_HEIGHT]);
    expect((await sharp(jpeg).metadata()).format).toBe("jpeg");
    const layout = sheetLayout(2, 2, 1200 / 630);
    const centre = (r: number, c: number) => {
      const box = cellBox(layout, r, c)!;
      return at(box.x + box.width / 2, box.y + box.height / 2);
    };
    expect(near(centre(0, 0), colours[0]!)).toBe(true);
    expect(near(centre(0, 1), colours[1]!)).toBe(true);
    expect(near(centre(1, 0), colours[2]!)).toBe(true);
    // The failed cell: a neutral placeholder (sampled off its centred label).
    const failed = cellBox(layout, 1, 1)!;
    expect(near(at(failed.x + 6, failed.y + 6), FAILED_PLACEHOLDER, 6)).toBe(true);
    expect(near(at(2, 2), BACKGROUND, 6)).toBe(true);
    // Header text: light glyph pixels in the header strip, none of them a thumbnail colour.
    let lit = 0;
    for (let y = layout.header.y; y < layout.header.y + layout.header.height; y += 2)
      for (let x = layout.header.x; x < 700; x += 2) if (at(x, y).every((v) => v > 150)) lit++;
    expect(lit).toBeGreaterThan(100);
    // Labelled placeholders also carry drawn text (lighter pixels inside the failed box).
    let label = 0;
    for (let y = failed.y; y < failed.y + failed.height; y++)
      for (let x = failed.x; x < failed.x + failed.width; x++) if (at(x, y)[0] > 80) label++;
    expect(label).toBeGreaterThan(20);
  });

  it("is cached under its content version and redrawn only when a cell changes", async () => {
    const { batch, cells } = await makeBatch(env.db, ["Cached"], ["local-preview", "gpt-image-1.5"]);
    await succeedWith(env, cells[0]!, [200, 200, 0]);
    let puts = 0;
    const counting: BlobStore = { ...env.store, put: (...args) => (puts++, env.store.put(...args)) };
    const running = (await contactSheetState(batch.id, env.db))!;
    expect(running.final).toBe(false);
    const first = await contactSheetBytes(running, counting);
    expect(await contactSheetBytes(running, counting)).toEqual(first);
    await Promise.all([contactSheetBytes(running, counting), contactSheetBytes(running, counting)]);
    expect(puts).toBe(1);
    expect(await env.store.head(contactSheetKey(batch.id, running.version))).not.toBeNull();
    const pending = cellBox(sheetLayout(1, 2, 1200 / 630), 0, 1)!;
    expect(near((await decode(first)).at(pending.x + 6, pending.y + 6), PLACEHOLDER, 6)).toBe(true);

    await succeedWith(env, cells[1]!, [0, 200, 200]);
    const done = (await contactSheetState(batch.id, env.db))!;
    expect(done.version).not.toBe(running.version);
    expect(done.etag).toBe(`"sheet-${done.version}"`);
    const second = await contactSheetBytes(done, counting);
    expect(puts).toBe(2);
    expect(
      near(
        (await decode(second)).at(pending.x + pending.width / 2, pending.y + pending.height / 2),
        [0, 200, 200],
      ),
    ).toBe(true);
    // The superseded version is removed from storage.
    expect((await env.store.list(`sheets/b-${batch.id}/`)).map((b) => b.key)).toEqual([
      contactSheetKey(batch.id, done.version),
    ]);
  });

  it("version depends on what is drawn, not on when it is asked", () => {
    const base = {
      prompts: ["a"],
      models: ["m"],
      style: "s",
      template: "t",
      font: "f",
      canvas: "blog",
      cells: [{ id: "c", status: "succeeded" as const, imageUrl: "/f/c.jpg?v=1", previousUrl: null }],
    };
    const cell = base.cells[0]!;
    // A new take under way draws the picture it keeps, as the cell drew it before.
    for (const status of ["queued", "running", "retrying"] as const)
      expect(
        contactSheetVersion({
          ...base,
          cells: [{ ...cell, status, imageUrl: null, previousUrl: cell.imageUrl }],
        }),
      ).toBe(contactSheetVersion(base));
    expect(contactSheetVersion({ ...base, cells: [{ ...cell, imageUrl: "/f/c-t1.jpg?v=2" }] })).not.toBe(
      contactSheetVersion(base),
    );
    expect(contactSheetVersion({ ...base, cells: [{ ...cell, status: "failed", imageUrl: null }] })).not.toBe(
      contactSheetVersion(base),
    );
    expect(contactSheetVersion(base)).not.toBe(contactSheetVersion({ ...base, template: "u" }));
  });

  it("keeps its version while a new take is made, and the share page agrees; a new picture changes it", async () => {
    const { batch, cells } = await makeBatch(env.db, ["Taken"], ["local-preview"]);
    await succeedWith(env, cells[0]!, [200, 0, 0]);
    const before = (await contactSheetState(batch.id, env.db))!;
    expect(before.final).toBe(true);
    const taken = await requeueTakes(env.db, batch.id, [{ promptIndex: 0, model: "local-preview" }]);
    if (taken?.kind !== "queued") throw new Error("the take was not queued");
    await recordAttemptStart(env.db, cells[0]!.id, { attempt: 0 });
    const during = (await contactSheetState(batch.id, env.db))!;
    expect([during.final, during.version]).toEqual([false, before.version]);
    const found = (await getBatch(env.db, batch.id))!;
    expect(contactSheetVersion(toBatchDto(found.batch, found.cells, urlFor))).toBe(during.version);

    await succeedWith(env, taken.cells[0]!, [0, 0, 200]);
    const after = (await contactSheetState(batch.id, env.db))!;
    expect(after.version).not.toBe(before.version);
    const found2 = (await getBatch(env.db, batch.id))!;
    expect(contactSheetVersion(toBatchDto(found2.batch, found2.cells, urlFor))).toBe(after.version);
  });

  it("draws a long batch at the same 1200×630 size", async () => {
    const prompts = Array.from({ length: 30 }, (_, i) => `Title ${i + 1}`);
    const { batch, cells } = await makeBatch(env.db, prompts, ["local-preview", "gpt-image-1.5"], "youtube");
    for (const cell of cells.slice(0, 8)) await succeedWith(env, cell, [120, 80, 200]);
    const state = (await contactSheetState(batch.id, env.db))!;
    const { info } = await decode(await contactSheetBytes(state, env.store));
    expect([info.width, info.height]).toEqual([SHEET_WIDTH, SHEET_HEIGHT]);
    expect(sheetLayout(30, 2, 16 / 9).hiddenRows).toBe(0);
    expect(sheetLayout(120, 3, 16 / 9).hiddenRows).toBeGreaterThan(0);
  });

  it("names the style, template and canvas as the gallery does, not by their ids", async () => {
    const { batch, cells } = await makeBatch(env.db, ["Named"], ["local-preview"], "youtube");
    const input = sheetInput(
      { ...batch, input: { ...batch.input, style: "3d", template: "center-box" } },
      cells,
      env.store,
    );
    expect(input.subtitle).toBe("3D render  ·  Centre box  ·  YouTube  ·  0 of 1 image ready");
    expect(input.models).toEqual([{ id: "local-preview", label: "Preview (offline)" }]);
  });

  it("is null for an unknown batch", async () => {
    expect(await contactSheetState("AAAAAAAAAAAAAAAAAAAAAA", env.db)).toBeNull();
    expect(await contactSheetState("../x", env.db)).toBeNull();
  });
});
