"use client";

import { memo, useId, type ClipboardEvent } from "react";
import { inputCls } from "./canvas-field";
import { sentence } from "./field-error";

const iconBtn =
  "rounded p-1.5 text-zinc-400 hover:bg-zinc-800 hover:text-zinc-100 focus-visible:outline-2 focus-visible:outline-sky-400 disabled:opacity-30";

/** What a row can do to the list; stable for the list's lifetime. */
export interface RowActions {
  edit: (index: number, value: string) => void;
  move: (index: number, by: number) => void;
  remove: (index: number) => void;
  insertAfter: (index: number) => void;
  /** Replaces row `index` with `rest` (what the paste left of it; dropped when blank) and `lines`. */
  pasteLines: (index: number, lines: string[], rest: string) => void;
}

interface PromptRowProps {
  index: number;
  value: string;
  issue: string | undefined;
  /** Advice, not an error: e.g. the template will shorten this title. */
  note?: string | undefined;
  last: boolean;
  /** Move and remove work only once JavaScript runs: before, they are not shown. */
  controls: boolean;
  actions: RowActions;
}

/** One title of the list; memoized, so typing in one row leaves the others alone. */
export const PromptRow = memo(function PromptRow({
  index: i,
  value,
  issue,
  note,
  last,
  controls,
  actions,
}: PromptRowProps) {
  // The message under the field is its description: a screen reader reads it with the field.
  const id = useId();
  const described = issue ? `${id}-issue` : note ? `${id}-note` : undefined;
  const onPaste = (e: ClipboardEvent<HTMLInputElement>) => {
    const text = e.clipboardData.getData("text");
    if (!text.includes("\n")) return;
    e.preventDefault();
    // The lines replace the selection, as a paste does.
    const field = e.currentTarget;
    const rest = field.value.slice(0, field.selectionStart ?? 0) + field.value.slice(field.selectionEnd ?? 0);
    actions.pasteLines(
      i,
      text
        .split(/\r?\n/)
        .map((l) => l.trim())
        .filter(Boolean),
      rest,
    );
  };
  return (
    <li className="flex items-start gap-2 [contain-intrinsic-size:auto_2.5rem] [content-visibility:auto]">
      <span className="w-6 pt-2 text-right text-xs text-zinc-400">{i + 1}</span>
      <div className="flex-1">
        <input
          name="prompts"
          dir="auto"
          value={value}
          aria-label={`Title ${i + 1}`}
          aria-invalid={issue ? true : undefined}
          aria-describedby={described}
          onChange={(e) => actions.edit(i, e.target.value)}
          onPaste={onPaste}
          onKeyDown={(e) => {
            if (e.key === "Enter") {
              e.preventDefault();
              actions.insertAfter(i);
            }
          }}
          placeholder={i === 0 ? "Why fan-out beats sequential generation" : "Another title"}
          className={inputCls}
        />
        {issue ? (
          <p id={`${id}-issue`} className="mt-1 text-xs text-red-300">
            {sentence(issue)}
          </p>
        ) : null}
        {note && !issue ? (
          <p id={`${id}-note`} className="mt-1 text-xs text-amber-300" data-testid="title-note">
            {note}
          </p>
        ) : null}
      </div>
      {controls ? (
        <>
          <button
            type="button"
            className={iconBtn}
            aria-label={`Move title ${i + 1} up`}
            disabled={i === 0}
            onClick={() => actions.move(i, -1)}
          >
            ↑
          </button>
          <button
            type="button"
            className={iconBtn}
            aria-label={`Move title ${i + 1} down`}
            disabled={last}
            onClick={() => actions.move(i, 1)}
          >
            ↓
          </button>
          <button
            type="button"
            className={iconBtn}
            aria-label={`Remove title ${i + 1}`}
            onClick={() => actions.remove(i)}
          >
            ✕
          </button>
        </>
      ) : null}
    </li>
  );
});
