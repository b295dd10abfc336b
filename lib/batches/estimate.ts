/** Batch prices from the catalog alone (no database or providers), so the CLI can show them too. */
import type { BatchInput } from "@/lib/db/schema";
import { getCanvas, isCanvasId, DEFAULT_CANVAS_ID } from "@/lib/catalog/canvases";
import { estimateCost, getModel, MODEL_IDS, pickSize, type ModelId } from "@/lib/catalog/models";

/** List price of every cell in the batch, at the size each model will be asked for. */
export function estimateBatchCost(input: {
  prompts: readonly string[];
  models: readonly string[];
  canvas: string;
  quality?: string;
}): {
  totalUsd: number;
  perModel: Record<string, number>;
} {
  const canvas = getCanvas(isCanvasId(input.canvas) ? input.canvas : DEFAULT_CANVAS_ID);
  const perModel: Record<string, number> = {};
  for (const id of input.models) {
    if (!(MODEL_IDS as readonly string[]).includes(id)) continue;
    const model = getModel(id as ModelId);
    const quality = input.quality && model.qualities.includes(input.quality) ? input.quality : undefined;
    perModel[id] = estimateCost(model, quality, pickSize(model, canvas).id) * input.prompts.length;
  }
  const totalUsd = Math.round(Object.values(perModel).reduce((a, b) => a + b, 0) * 1e6) / 1e6;
  return { totalUsd, perModel };
}

/**
 * List price per model of the calls asked of a batch: one per cell at submit (none for a restyle, which
 * composes stored pictures), plus one per new take its owner asked for since, except the takes that
 * ended before their provider call went out (they cost nothing), as the batch's own estimate does.
 */
export function estimateByModel(
  input: BatchInput,
  cells: readonly { model: string; take: number; uncalledTakes?: number }[] = [],
): Record<string, number> {
  const list = estimateBatchCost({ ...input, quality: input.quality ?? undefined }).perModel;
  const perModel = input.restyledFrom
    ? Object.fromEntries(Object.keys(list).map((m) => [m, 0]))
    : { ...list };
  const one = input.prompts.length > 0 ? 1 / input.prompts.length : 0;
  for (const cell of cells) {
    const takes = cell.take - (cell.uncalledTakes ?? 0);
    if (takes > 0 && cell.model in list) perModel[cell.model]! += list[cell.model]! * one * takes;
  }
  return perModel;
}
