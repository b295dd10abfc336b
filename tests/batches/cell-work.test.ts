/**
 * The cell steps against a real database (PGlite in memory), real storage (a temp folder) and the real
 * OpenAI SDK talking to the provider simulator: budget stop, no paid call repeated, permanent failures.
 */
import { formatUsd } from "@/lib/format";
import { beforeEach, describe, expect, it } from "vitest";
import {
  AttemptFailed,
  composeStep,
  generateStep,
  recordFailureStep,
  recordStep,
  type CellRef,
} from "@/lib/batches/cell-work";
import { cancelBatch, createBatch, finishBatchIfDone, getBatch, requeueTakes, showOtherTake } from "@/lib/db";
import { estimateBatchCost } from "@/lib/batches/estimate";
import { takeKeyTag } from "@/lib/batches/owner";
import { getStorage } from "@/lib/storage";
import { cellStepWorld } from "../helpers/cell-steps";

const world = cellStepWorld("fast");

beforeEach(() => world.sim.reset());

async function newBatch(prompts: string[], model: string, budgetUsd: number | null = null) {
  const input = {
    prompts,
    models: [model],
    style: "neon",
    template: "bottom-bar",
    font: "inter",
    canvas: "blog",
  };
  const { batch } = await createBatch(world.handle.db, { input, budgetUsd });
  return batch.id;
}

const ref = (batchId: string, promptIndex: number, model = "gpt-image-1.5"): CellRef => ({
  batchId,
  promptIndex,
  model: model as CellRef["model"],
});

/** The generate and compose steps of one cell, without record. */
async function generateAndCompose(cell: CellRef) {
  const raw = await generateStep(world.handle.db, cell, 0, false);
  if (raw.kind !== "raw") throw new Error(`expected a raw image, got ${raw.kind}`);
  return composeStep(world.handle.db, cell, raw.rawKey, raw.spec);
}

/** A one-cell preview batch with its first picture recorded, and a new take generated and composed (not recorded). */
async function pictureThenTake(title: string) {
  const id = await newBatch([title], "local-preview");
  const cell = ref(id, 0, "local-preview");
  const first = await generateAndCompose(cell);
  await recordStep(world.handle.db, first);
  await finishBatchIfDone(world.handle.db, id);
  expect((await requeueTakes(world.handle.db, id, [{ promptIndex: 0, model: "local-preview" }]))?.kind).toBe(
    "queued",
  );
  return { id, first, take: await generateAndCompose(cell) };
}

describe("cell steps", () => {
  it("generates, composes and records one cell; repeating a step repeats no paid call", async () => {
    const id = await newBatch(["Idempotent batch outputs"], "gpt-image-1.5");
    const first = await generateStep(world.handle.db, ref(id, 0), 0, false);
    if (first.kind !== "raw") throw new Error(`expected a raw image, got ${first.kind}`);
    expect(first.spec).toMatchObject({ title: "Idempotent batch outputs", canvas: "blog" });
    // The step ran again (as after a lost step result): the stored raw image is reused, no new request.
    const again = await generateStep(world.handle.db, ref(id, 0), 0, false);
    // The first also hands on the cell as its result's write left it (for record's one write); a reuse
    // wrote no result, so it has none.
    const { written, ...spec } = first.spec;
    expect(written).toMatchObject({
      cell: { status: "running", rawKey: first.rawKey },
      version: expect.any(String),
    });
    expect(again).toEqual({ kind: "raw", rawKey: first.rawKey, reused: true, spec });
    expect(world.sim.requests).toHaveLength(1);
    const image = await composeStep(world.handle.db, ref(id, 0), first.rawKey, first.spec);
    expect(image.finalKey).toBe(`final/${id}/0-gpt-image-1.5.jpg`);
    // A generate result memoized without the spec (older run state) composes the same from the database.
    expect(await composeStep(world.handle.db, ref(id, 0), first.rawKey)).toEqual({
      ...image,
      written: undefined,
    });
    await recordStep(world.handle.db, image);
    await recordStep(world.handle.db, image);
    const found = await getBatch(world.handle.db, id);
    expect(found?.batch.status).toBe("succeeded");
    expect(found?.cells[0]?.status).toBe("succeeded");
    expect(found?.cells[0]?.requestIds).toHaveLength(1);
    expect(await getStorage().list(`final/${id}/`)).toHaveLength(1);
  });

  it("hands a new picture to compose in memory; a later compose reads it from storage", async () => {
    const id = await newBatch(["Handed over"], "gpt-image-1.5");
    const made = await generateStep(world.handle.db, ref(id, 0), 0, false);
    if (made.kind !== "raw") throw new Error(`expected a raw image, got ${made.kind}`);
    const stored = await getStorage().get(made.rawKey);
    await getStorage().delete(made.rawKey);
    // Composed without reading storage back (a download per image with Vercel Blob).
    const image = await composeStep(world.handle.db, ref(id, 0), made.rawKey, made.spec);
    expect(image.bytes).toBeGreaterThan(0);
    // The bytes were handed over once: a retried compose goes to storage.
    await expect(composeStep(world.handle.db, ref(id, 0), made.rawKey, made.spec)).rejects.toThrow(
      "is missing from storage",
    );
    await getStorage().put(made.rawKey, stored!.bytes, { contentType: "image/jpeg" });
    expect(await composeStep(world.handle.db, ref(id, 0), made.rawKey, made.spec)).toEqual(image);
  });

  it("pays again only when the remembered raw image is gone from storage", async () => {
    const id = await newBatch(["Lost raw image"], "gpt-image-1.5");
    const first = await generateStep(world.handle.db, ref(id, 0), 0, false);
    if (first.kind !== "raw") throw new Error(`expected a raw image, got ${first.kind}`);
    await getStorage().delete(first.rawKey);
    const again = await generateStep(world.handle.db, ref(id, 0), 1, false);
    expect(again).toMatchObject({ kind: "raw", reused: false });
    expect(world.sim.requests).toHaveLength(2);
    const cell = (await getBatch(world.handle.db, id))?.cells[0];
    expect(cell?.attempts).toBe(2);
    expect(await getStorage().head(again.kind === "raw" ? again.rawKey : "")).not.toBeNull();
  });

  it("composes a cell created with a stored picture without a provider call, shown as running meanwhile", async () => {
    const source = await newBatch(["Picture to reuse"], "gpt-image-1.5");
    const made = await generateStep(world.handle.db, ref(source, 0), 0, false);
    if (made.kind !== "raw") throw new Error(`expected a raw image, got ${made.kind}`);
    const input = {
      prompts: ["Picture to reuse, fixed"],
      models: ["gpt-image-1.5"],
      style: "neon",
      template: "left-panel",
      font: "oswald",
      canvas: "blog",
    };
    const { batch } = await createBatch(world.handle.db, {
      input,
      cells: [
        { promptIndex: 0, prompt: input.prompts[0] as string, model: "gpt-image-1.5", rawKey: made.rawKey },
      ],
    });
    const reused = await generateStep(world.handle.db, ref(batch.id, 0), 0, false);
    expect(reused).toMatchObject({ kind: "raw", rawKey: made.rawKey, reused: true });
    expect(reused.kind === "raw" && reused.spec).toMatchObject({
      title: "Picture to reuse, fixed",
      font: "oswald",
    });
    const cell = (await getBatch(world.handle.db, batch.id))?.cells[0];
    expect([cell?.status, cell?.attempts, cell?.startedAt instanceof Date]).toEqual(["running", 0, true]);
    expect(world.sim.requests).toHaveLength(1);
  });

  it("a take cancelled while it was made leaves the previous picture and no file of its own", async () => {
    const { id, first, take } = await pictureThenTake("Second thoughts");
    // A new picture (the preview's seed changes with the take) under the take's own final key.
    expect(take.rawKey).not.toBe(first.rawKey);
    // Named with a tag no one can guess without the app secret, the same when the step runs again.
    expect(take.finalKey).toBe(`final/${id}/0-local-preview-t1-${takeKeyTag(id, 0, "local-preview", 1)}.jpg`);
    expect(take.finalKey).toMatch(new RegExp(`^final/${id}/0-local-preview-t1-[\\w-]{16}\\.jpg$`));
    expect((await composeStep(world.handle.db, ref(id, 0, "local-preview"), take.rawKey)).finalKey).toBe(
      take.finalKey,
    );
    await cancelBatch(world.handle.db, id, { reason: "cancelled by the owner" });
    expect(await recordStep(world.handle.db, take)).toEqual({ status: "succeeded", finalKey: null });
    const storage = getStorage();
    expect(await storage.head(take.finalKey)).toBeNull();
    expect(await storage.head(take.rawKey)).toBeNull();
    expect(await storage.head(first.finalKey)).not.toBeNull();
    expect(await storage.head(first.rawKey)).not.toBeNull();
    const after = (await getBatch(world.handle.db, id))!.cells[0]!;
    expect(after).toMatchObject({ status: "succeeded", finalKey: first.finalKey, rawKey: first.rawKey });
    expect(after.lastError).toBe(
      "The new take was cancelled (cancelled by the owner); the previous picture is kept.",
    );
  });

  it("a record step run again after its owner switched takes deletes neither picture", async () => {
    const { id, first, take } = await pictureThenTake("Switched back");
    await recordStep(world.handle.db, take);
    await finishBatchIfDone(world.handle.db, id);
    expect(
      (await showOtherTake(world.handle.db, id, [{ promptIndex: 0, model: "local-preview" }]))?.kind,
    ).toBe("switched");
    // The take's record step runs again (its result was lost): the cell shows the first picture now.
    expect(await recordStep(world.handle.db, take)).toEqual({ status: "succeeded", finalKey: null });
    const storage = getStorage();
    for (const key of [first.finalKey, first.rawKey, take.finalKey, take.rawKey])
      expect(await storage.head(key), key).not.toBeNull();
    const after = (await getBatch(world.handle.db, id))!.cells[0]!;
    expect([after.finalKey, ...after.others.map((o) => o.finalKey)]).toEqual([first.finalKey, take.finalKey]);
  });

  it("skips a cell that was cancelled before its step ran, with no provider call", async () => {
    const id = await newBatch(["Cancelled first"], "gpt-image-1.5");
    await cancelBatch(world.handle.db, id, { reason: "user cancelled" });
    expect(await generateStep(world.handle.db, ref(id, 0), 0, false)).toEqual({
      kind: "skipped",
      status: "cancelled",
    });
    expect(world.sim.requests).toHaveLength(0);
  });

  it("reserves each call's list price: a call that would pass the budget is not made, and the rest are cancelled", async () => {
    const price = estimateBatchCost({ prompts: ["x"], models: ["gpt-image-1.5"], canvas: "blog" }).totalUsd;
    // Room for one call and a half: the second does not fit once the first is paid for.
    const id = await newBatch(["One", "Two", "Three", "Four"], "gpt-image-1.5", price * 1.5);
    expect((await generateStep(world.handle.db, ref(id, 0), 0, false)).kind).toBe("raw");
    const second = await generateStep(world.handle.db, ref(id, 1), 0, false);
    expect(second).toEqual({ kind: "skipped", status: "cancelled" });
    const found = await getBatch(world.handle.db, id);
    const statuses = found?.cells.map((c) => c.status);
    expect(statuses?.slice(1)).toEqual(["cancelled", "cancelled", "cancelled"]);
    // The budget and the spend as they are, not rounded to cents.
    expect(found?.cells[1]?.lastError).toBe(
      `budget of ${formatUsd(price * 1.5)} reached (${formatUsd(Number(found?.batch.actualCostUsd))} spent)`,
    );
    expect(world.sim.requests).toHaveLength(1);
    // The first call's reservation became its cost.
    expect(Number(found?.batch.reservedUsd)).toBe(0);
    expect(Number(found?.batch.actualCostUsd)).toBe(found?.cells[0]?.costUsd);
  });

  it("releases a failed call's reservation, so its retry finds the budget it left", async () => {
    const price = estimateBatchCost({ prompts: ["x"], models: ["gpt-image-1.5"], canvas: "blog" }).totalUsd;
    const id = await newBatch(["Fails once [sim:500*1]", "Waits"], "gpt-image-1.5", price * 1.5);
    const failed = await generateStep(world.handle.db, ref(id, 0), 0, false).catch((e: unknown) => e);
    expect(failed).toBeInstanceOf(AttemptFailed);
    // Nothing was charged and nothing stays reserved: the retry finds the whole budget.
    const after = await getBatch(world.handle.db, id);
    expect([Number(after?.batch.reservedUsd), Number(after?.batch.actualCostUsd)]).toEqual([0, 0]);
    expect((await generateStep(world.handle.db, ref(id, 0), 1, false)).kind).toBe("raw");
    expect(world.sim.requests).toHaveLength(2);
  });

  it("fails a moderation-blocked cell after one attempt, as permanent", async () => {
    const id = await newBatch(["A blocked title [sim:moderation]"], "gpt-image-1.5");
    const error = await generateStep(world.handle.db, ref(id, 0), 0, false).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AttemptFailed);
    expect((error as AttemptFailed).retryable).toBe(false);
    const cell = (await getBatch(world.handle.db, id))?.cells[0];
    expect(cell?.status).toBe("failed");
    expect(cell?.attempts).toBe(1);
    expect(cell?.errorKind).toBe("moderation_blocked");
  });

  it("marks a retryable failure as retrying, with the provider's delay, until the last attempt", async () => {
    const id = await newBatch(["Slow down [sim:429]"], "gpt-image-1.5");
    const error = (await generateStep(world.handle.db, ref(id, 0), 0, false).catch(
      (e: unknown) => e,
    )) as AttemptFailed;
    expect(error.retryable).toBe(true);
    expect(error.retryAfterMs).toBeGreaterThan(0);
    expect((await getBatch(world.handle.db, id))?.cells[0]?.status).toBe("retrying");
    await generateStep(world.handle.db, ref(id, 0), 1, true).catch(() => undefined);
    const cell = (await getBatch(world.handle.db, id))?.cells[0];
    expect(cell?.status).toBe("failed");
    expect(cell?.attempts).toBe(2);
  });

  it("records a cell that used up its retries without promising another", async () => {
    const id = await newBatch(["Always down [sim:500]"], "gpt-image-1.5");
    await generateStep(world.handle.db, ref(id, 0), 0, false).catch(() => undefined);
    expect((await getBatch(world.handle.db, id))?.cells[0]?.status).toBe("retrying");
    const last = (await generateStep(world.handle.db, ref(id, 0), 1, true).catch(
      (e: unknown) => e,
    )) as AttemptFailed;
    // What the function records when the step gives up (generate-cell.ts).
    await recordFailureStep(world.handle.db, ref(id, 0), last.message, "failed");
    const cell = (await getBatch(world.handle.db, id))?.cells[0];
    expect(cell?.status).toBe("failed");
    expect(cell?.lastError).toMatch(/^OpenAI had a server problem \(500\)\./);
    expect(cell?.lastError).not.toMatch(/retr(y|ied|ying)/i);
  });
});
