/** The line above the grid (how many shown, select all shown) and the notice line (what a delete did). */
export interface CountRowProps {
  text: string;
  /** Only once JavaScript runs: a "select all" that does nothing would mislead. */
  selectAll?: { checked: boolean; onChange: (checked: boolean) => void };
}

export function CountRow({ text, selectAll }: CountRowProps) {
  return (
    <div className="flex min-h-9 flex-wrap items-center justify-between gap-3 text-sm text-zinc-400">
      <p aria-live="polite" data-testid="gallery-count">
        {text}
      </p>
      {selectAll ? (
        <label className="flex cursor-pointer items-center gap-2 text-zinc-300">
          <input
            type="checkbox"
            className="h-4 w-4 accent-sky-500"
            checked={selectAll.checked}
            onChange={(e) => selectAll.onChange(e.target.checked)}
          />
          Select all shown
        </label>
      ) : null}
    </div>
  );
}

/**
 * Always in the page (a live region must exist before its text changes); visible only with a message.
 * Focusable from script: where the keyboard goes when what it was on went away (the deleted selection).
 */
export function Notice({ text, ref }: { text: string; ref?: React.Ref<HTMLParagraphElement> }) {
  return (
    <p
      ref={ref}
      tabIndex={-1}
      role="status"
      data-testid="gallery-notice"
      className={
        text
          ? "rounded-lg border border-sky-900/60 bg-sky-950/40 px-3 py-2 text-sm text-sky-100 focus:outline-none focus-visible:ring-2 focus-visible:ring-sky-400"
          : "sr-only"
      }
    >
      {text}
    </p>
  );
}
