/** New takes outside the database: the estimate they add per model, and the ids of the cancels that stop them. */
import { describe, expect, it } from "vitest";
import { cancelEventId } from "@/inngest/events";
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

  it("each get a cancel event id of their own, though take rounds of different cells share numbers", () => {
    const round = [{ round: 1, take: 0 }];
    expect(cancelEventId("b", round, 1)).toBe(cancelEventId("b", round, 2));
    expect(cancelEventId("b", round)).toBe("batch-cancelled-b-1");
    const take = [{ round: 1, take: 1 }];
    expect(cancelEventId("b", take, 1)).not.toBe(cancelEventId("b", take, 2));
    expect(cancelEventId("b", take, 36)).toBe("batch-cancelled-b-1-10");
  });
});
