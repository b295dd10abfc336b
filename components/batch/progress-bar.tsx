import type { BatchCounts } from "@/lib/batches/dto";

/**
 * The batch's progress as one bar in parts: made, failed and cancelled cells each take their share, so
 * a batch cancelled halfway no longer looks complete (a bar of "done" cells was full once every cell
 * had ended, whatever had become of them) and failures show at a glance in a batch of hundreds.
 */
export function ProgressBar({ counts }: { counts: BatchCounts }) {
  const { total, done, succeeded, failed, cancelled } = counts;
  const share = (n: number) => (total === 0 ? 0 : (n / total) * 100);
  const parts = [
    { n: succeeded, className: "bg-sky-500", part: "succeeded" },
    { n: failed, className: "bg-red-500", part: "failed" },
    { n: cancelled, className: "bg-zinc-500", part: "cancelled" },
  ].filter((p) => p.n > 0);
  return (
    <div
      className="flex h-2 overflow-hidden rounded bg-zinc-800"
      role="progressbar"
      aria-label="Batch progress"
      aria-valuenow={Math.round(share(done))}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuetext={`${done} of ${total} ended: ${succeeded} succeeded, ${failed} failed${cancelled ? `, ${cancelled} cancelled` : ""}`}
    >
      {parts.map((p) => (
        <div
          key={p.part}
          data-part={p.part}
          className={`h-full ${p.className} transition-[width] motion-reduce:transition-none`}
          style={{ width: `${share(p.n)}%` }}
        />
      ))}
    </div>
  );
}
