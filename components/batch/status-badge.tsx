import type { BatchStatus, CellStatus } from "@/lib/db/schema";

const styles: Record<CellStatus | BatchStatus, string> = {
  queued: "bg-zinc-800 text-zinc-300",
  running: "bg-sky-950 text-sky-300",
  retrying: "bg-amber-950 text-amber-300",
  succeeded: "bg-emerald-950 text-emerald-300",
  partial: "bg-amber-950 text-amber-300",
  failed: "bg-red-950 text-red-300",
  cancelled: "bg-zinc-800 text-zinc-400",
};

/** A cell's or a batch's status. */
export function StatusBadge({ status }: { status: CellStatus | BatchStatus }) {
  return (
    <span
      className={`rounded px-1.5 py-0.5 text-[11px] font-medium uppercase tracking-wide ${styles[status]}`}
    >
      {status}
    </span>
  );
}
