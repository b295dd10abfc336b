import type { CellDto } from "@/lib/batches/dto";
import { formatUsd } from "@/lib/format";

/** The owner's "New take" on finished images: a form that posts the cell, or calls `onTake` with JavaScript. */
export interface TakeControl {
  batchId: string;
  /** List price of one take per model; a model absent here cannot take one. */
  prices: Record<string, number>;
  busy: boolean;
  onTake: (cell: CellDto) => void;
}

/** "New take · $0.05" for a finished cell whose model can be called here; nothing otherwise. */
export function TakeForm({
  cell,
  take,
  className,
}: {
  cell: CellDto;
  take: TakeControl;
  className?: string;
}) {
  const price = cell.status === "succeeded" ? take.prices[cell.model] : undefined;
  if (price === undefined) return null;
  const cost = price === 0 ? "free" : formatUsd(price);
  return (
    <form
      method="post"
      action={`/api/batches/${take.batchId}/takes`}
      onSubmit={(e) => (e.preventDefault(), take.onTake(cell))}
      className={className}
    >
      <input type="hidden" name="promptIndex" value={cell.promptIndex} />
      <input type="hidden" name="model" value={cell.model} />
      <button
        type="submit"
        disabled={take.busy}
        className="rounded border border-zinc-700 px-2 py-0.5 text-zinc-300 hover:border-zinc-500 hover:text-zinc-100 disabled:opacity-50"
        title="Ask the model for another picture; this one stays until the new one is ready"
        aria-label={`New take · ${cost}: “${cell.prompt}”, ${cell.model}`}
      >
        New take · {cost}
      </button>
    </form>
  );
}
