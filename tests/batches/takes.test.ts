/**
 * New takes outside the database: the estimate they add per model, the ids of the cancels that stop
 * them, and the other takes a cell's JSON carries.
 */
import { describe, expect, it } from "vitest";
import { cancelEventId } from "@/inngest/events";
import { cellForVisitors, toCellDto, type CellLike } from "@/lib/batches/dto";
import { estimateBatchCost, estimateByModel } from "@/lib/batches/service";

const input = {
  prompts: ["One", "Two", "Three", "Four"],
  models: ["gpt-image-1.5", "local-preview"],
  style: "neon",
  template: "bottom-bar",
  font: "inter",
  canvas: "blog",
};

describe("new takes", () => {
  it("add one list price per take to their model's estimate, however many cells have them", () => {
    const one = estimateBatchCost({ ...input, prompts: ["x"], models: ["gpt-image-1.5"] }).totalUsd;
    const cells = input.prompts.map(() => ({ model: "gpt-image-1.5", take: 1 }));
    const perModel = estimateByModel(input, [...cells, { model: "gpt-image-1.5", take: 2 }]);
    expect(perModel["gpt-image-1.5"]).toBeCloseTo(one * (4 + 4 + 2));
    expect(perModel["local-preview"]).toBe(0);
    // A restyle paid for nothing at submit; its takes are paid calls all the same.
    const restyled = estimateByModel({ ...input, restyledFrom: "b" }, [{ model: "gpt-image-1.5", take: 1 }]);
    expect(restyled["gpt-image-1.5"]).toBeCloseTo(one);
    expect(estimateByModel(input)).toEqual(estimateBatchCost(input).perModel);
  });

  it("leave out of the estimate the takes that ended before their call went out", () => {
    const one = estimateBatchCost({ ...input, prompts: ["x"], models: ["gpt-image-1.5"] }).totalUsd;
    const perModel = estimateByModel(input, [
      { model: "gpt-image-1.5", take: 3, uncalledTakes: 1 },
      { model: "gpt-image-1.5", take: 1, uncalledTakes: 1 },
    ]);
    expect(perModel["gpt-image-1.5"]).toBeCloseTo(one * (4 + 2));
  });

  it("each get a cancel event id of their own, though take rounds of different cells share numbers", () => {
    const round = [{ round: 1, take: 0 }];
    expect(cancelEventId("b", round, 1)).toBe(cancelEventId("b", round, 2));
    expect(cancelEventId("b", round)).toBe("batch-cancelled-b-1");
    const take = [{ round: 1, take: 1 }];
    expect(cancelEventId("b", take, 1)).not.toBe(cancelEventId("b", take, 2));
    expect(cancelEventId("b", take, 36)).toBe("batch-cancelled-b-1-10");
  });

  it("carry a cell's other takes by id and URL for its owner, also from events written with one", () => {
    const picture = (finalKey: string, finishedAt: string) => ({
      rawKey: null,
      finalKey,
      width: 1200,
      height: 630,
      bytes: 1,
      startedAt: null,
      finishedAt,
      durationMs: 1,
    });
    const urlFor = (key: string, version: string) => `/api/blob/${key}?v=${version}`;
    const base = {
      id: "c",
      batchId: "b",
      promptIndex: 0,
      prompt: "One",
      model: "local-preview",
      status: "succeeded",
      finalKey: "final/b/0-local-preview-t2.jpg",
      finishedAt: "2026-12-01T00:00:02.000Z",
      startedAt: null,
      take: 2,
      previous: null,
    } as unknown as CellLike;
    const others = [
      picture("final/b/0-local-preview-t1.jpg", "2026-12-01T00:00:01.000Z"),
      picture("final/b/0-local-preview.jpg", "2026-12-01T00:00:00.000Z"),
    ];
    const dto = toCellDto({ ...base, others }, urlFor);
    expect(dto.otherTakes).toEqual([
      { id: "0-local-preview-t1.jpg", url: "/api/blob/final/b/0-local-preview-t1.jpg?v=1796083201000" },
      { id: "0-local-preview.jpg", url: "/api/blob/final/b/0-local-preview.jpg?v=1796083200000" },
    ]);
    expect(dto.alternateUrl).toBe(dto.otherTakes[0]!.url);
    expect(cellForVisitors(dto)).toMatchObject({ otherTakes: [], alternateUrl: null });
    // An event from before cells kept several: its one other take.
    const legacy = toCellDto({ ...base, alternate: others[0] }, urlFor);
    expect(legacy.otherTakes).toEqual([dto.otherTakes[0]]);
    // Only a finished image offers them.
    expect(toCellDto({ ...base, status: "running", others }, urlFor).otherTakes).toEqual([]);
  });
});
