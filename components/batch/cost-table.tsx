import type { BatchView } from "@/lib/batches/paging";
import { formatUsd } from "@/lib/format";

/**
 * Estimated (list price of the calls asked for: the batch at submit, plus any new takes) versus actual
 * (every attempt, from provider usage) per model.
 */
export function CostTable({
  batch,
  modelLabels,
}: {
  batch: BatchView;
  modelLabels?: Record<string, string>;
}) {
  const rows = batch.models.map((model) => {
    const cells = batch.cells.filter((c) => c.model === model);
    const actual = cells.reduce((sum, c) => sum + c.costUsd, 0);
    const attempts = cells.reduce((sum, c) => sum + c.attempts, 0);
    const done = cells.filter((c) => c.status === "succeeded").length;
    return {
      model,
      actual,
      attempts,
      done,
      total: cells.length,
      estimated: batch.estimatedByModel[model] ?? 0,
    };
  });
  return (
    <details className="rounded-lg border border-zinc-800 bg-zinc-900/50 text-sm">
      <summary className="cursor-pointer px-3 py-2 text-zinc-300">
        Cost: <span data-testid="cost-actual">{formatUsd(batch.actualCostUsd)}</span> actual of{" "}
        <span data-testid="cost-estimated">{formatUsd(batch.estimatedCostUsd)}</span> estimated
        {batch.budgetUsd !== null ? ` · budget ${formatUsd(batch.budgetUsd)}` : ""}
      </summary>
      <table className="w-full text-left text-xs">
        <thead className="text-zinc-400">
          <tr>
            <th className="hidden px-3 py-1 font-medium sm:table-cell">Model</th>
            <th className="px-2 py-1 font-medium sm:px-3">Images</th>
            <th className="px-2 py-1 font-medium sm:px-3">Provider calls</th>
            <th className="px-2 py-1 font-medium sm:px-3">Estimated</th>
            <th className="px-2 py-1 font-medium sm:px-3">Actual</th>
          </tr>
        </thead>
        {/* On a phone the model's name heads its figures on a line of its own: beside them, the five
            columns were wider than the screen. */}
        {rows.map((r) => (
          <tbody key={r.model} className="text-zinc-300">
            <tr className="border-t border-zinc-800 sm:hidden">
              <th scope="rowgroup" colSpan={4} className="px-2 pt-1 font-normal text-zinc-200">
                {modelLabels?.[r.model] ?? r.model}
              </th>
            </tr>
            <tr className="sm:border-t sm:border-zinc-800">
              <td className="hidden px-3 py-1 sm:table-cell">{modelLabels?.[r.model] ?? r.model}</td>
              <td className="px-2 py-1 sm:px-3">
                {r.done}/{r.total}
              </td>
              <td className="px-2 py-1 sm:px-3">{r.attempts}</td>
              <td className="px-2 py-1 sm:px-3">{formatUsd(r.estimated)}</td>
              <td className="px-2 py-1 sm:px-3">{formatUsd(r.actual)}</td>
            </tr>
          </tbody>
        ))}
      </table>
    </details>
  );
}
