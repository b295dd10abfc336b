/** Batch prices from the catalog alone (no database or providers), so the CLI can show them too. */
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
