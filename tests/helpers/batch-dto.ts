/** Batch and cell records as the API returns them, for tests of what the page and clients do with them. */
import { countCells, type BatchDto, type CellDto } from "@/lib/batches/dto";

export function cell(i: number, patch: Partial<CellDto> = {}): CellDto {
  return {
    id: `c${i}`,
    promptIndex: i,
    prompt: `Title ${i}`,
    model: "local-preview",
    status: "queued",
    imageUrl: null,
    width: null,
    height: null,
    error: null,
    errorKind: null,
    note: null,
    take: 0,
    previousUrl: null,
    otherTakes: [],
    alternateUrl: null,
    attempts: 0,
    reusable: false,
    requestIds: [],
    costUsd: 0,
    durationMs: null,
    startedAt: null,
    finishedAt: null,
    updatedAt: null,
    ...patch,
  };
}

export function batch(cells: CellDto[]): BatchDto {
  return {
    id: "b1",
    status: "running",
    createdAt: "2026-11-21T10:00:00.000Z",
    startedAt: "2026-11-21T10:00:01.000Z",
    finishedAt: null,
    prompts: Array.from({ length: Math.max(0, ...cells.map((c) => c.promptIndex + 1)) }, (_, i) => {
      return cells.find((c) => c.promptIndex === i)?.prompt ?? `Title ${i}`;
    }),
    models: [...new Set(cells.map((c) => c.model))],
    style: "neon",
    template: "bottom-bar",
    font: "inter",
    canvas: "blog",
    quality: null,
    context: "",
    extraPrompt: "",
    estimatedCostUsd: 0,
    estimatedByModel: {},
    actualCostUsd: 0,
    budgetUsd: null,
    cancelReason: null,
    notices: [],
    restyledFrom: null,
    counts: countCells(cells),
    callsOut: 0,
    cancelledCallsOut: 0,
    cells,
    results: [],
  };
}
