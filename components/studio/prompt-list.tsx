"use client";

import { useId, useLayoutEffect, useMemo, useRef, useState } from "react";
import { dedupe } from "@/lib/studio/import";
import { useHydrated } from "@/lib/use-hydrated";
import type { FieldIssue } from "@/lib/batches/input";
import { titleLinesCls } from "./canvas-field";
import { FieldError, firstIssues, lineIssues } from "./field-error";
import { PromptRow, type RowActions } from "./prompt-row";

export interface PromptListProps {
  prompts: string[];
  onChange: (prompts: string[]) => void;
  issues: readonly FieldIssue[];
  onImport: (file: File) => void;
  /** Advice under some rows (the template will shorten the title, a font cannot draw it all). */
  notes?: ReadonlyMap<number, string>;
}

/** Titles as an editable list: add, remove, reorder, de-duplicate, paste many lines, import a file. */
export function PromptList({ prompts, onChange, issues, onImport, notes }: PromptListProps) {
  const [bulk, setBulk] = useState(false);
  // Without JavaScript the list's buttons would do nothing: the form shows them once they work.
  const hydrated = useHydrated();
  const fileRef = useRef<HTMLInputElement>(null);
  const id = useId();
  const rows = prompts.length === 0 ? [""] : prompts;
  // The row handlers read the latest list through a ref, so they never change and a keystroke
  // re-renders only its own row (a list of 1,000 pasted titles re-rendered every row per key).
  const latest = useRef({ rows, onChange });
  useLayoutEffect(() => {
    latest.current = { rows, onChange };
  });
  // Where the keyboard goes once a change is on screen: the new row after Enter, the moved title's
  // button after ↑/↓ (pressing it again moves the same title on), the row after a removal.
  const listRef = useRef<HTMLOListElement>(null);
  const focusNext = useRef<{ row: number; move?: "up" | "down" } | null>(null);
  useLayoutEffect(() => {
    const next = focusNext.current;
    focusNext.current = null;
    if (!next || !listRef.current) return;
    const count = listRef.current.children.length;
    const row = Math.max(0, Math.min(next.row, count - 1));
    const find = (label: string) => listRef.current?.querySelector<HTMLElement>(`[aria-label="${label}"]`);
    const button = next.move ? find(`Move title ${row + 1} ${next.move}`) : null;
    const target = button && !button.hasAttribute("disabled") ? button : find(`Title ${row + 1}`);
    target?.focus();
  });
  const actions = useMemo<RowActions>(() => {
    const update = (make: (rows: string[]) => string[]) => latest.current.onChange(make(latest.current.rows));
    return {
      edit: (i, value) => update((r) => r.map((p, j) => (j === i ? value : p))),
      move: (i, by) => {
        focusNext.current = { row: i + by, move: by < 0 ? "up" : "down" };
        update((r) => {
          const next = [...r];
          const [item] = next.splice(i, 1);
          next.splice(i + by, 0, item ?? "");
          return next;
        });
      },
      remove: (i) => {
        focusNext.current = { row: i };
        update((r) => r.filter((_, j) => j !== i));
      },
      insertAfter: (i) => {
        focusNext.current = { row: i + 1 };
        update((r) => [...r.slice(0, i + 1), "", ...r.slice(i + 1)]);
      },
      pasteLines: (i, lines, rest) => {
        const kept = rest.trim() ? [rest] : [];
        focusNext.current = { row: i + kept.length + lines.length - 1 };
        update((r) => [...r.slice(0, i), ...kept, ...lines, ...r.slice(i + 1)]);
      },
    };
  }, []);
  const rowIssues = new Map(issues.map((x) => [x.path, x.message]));
  // As text, the rows' own messages have no row to sit under: they go under the box, by line number.
  const lineProblems = issues.filter((x) => /^prompts\.\d+$/.test(x.path));
  const firstBadLine = lineProblems[0] ? Number(lineProblems[0].path.split(".")[1]) : undefined;
  const duplicates = rows.filter((p) => p.trim()).length - dedupe(rows.filter((p) => p.trim())).length;

  return (
    <fieldset className="space-y-2" aria-describedby={`${id}-help prompts-error`}>
      <legend className="text-sm font-medium text-zinc-200">Titles</legend>
      <p id={`${id}-help`} className="text-xs text-zinc-400">
        One thumbnail per title and model, up to 200 characters each. Paste several lines at once, or import a
        .txt, .csv or batch.json file.
      </p>
      {bulk ? (
        <>
          <textarea
            aria-label="All titles, one per line"
            name="prompts"
            rows={Math.min(16, Math.max(6, rows.length + 1))}
            value={rows.join("\n")}
            onChange={(e) => onChange(e.target.value.split("\n"))}
            className={`${titleLinesCls} font-mono`}
            aria-invalid={lineProblems.length > 0 ? true : undefined}
            aria-describedby={lineProblems.length > 0 ? `${id}-lines` : undefined}
            // A refused submit focuses the box (studio-form.tsx) and puts the caret on this line.
            data-first-bad-line={firstBadLine}
          />
          <FieldError id={`${id}-lines`} issues={firstIssues(lineIssues(lineProblems))} />
        </>
      ) : (
        <ol ref={listRef} className="space-y-2" data-testid="prompt-list">
          {rows.map((p, i) => (
            <PromptRow
              key={i}
              index={i}
              value={p}
              issue={rowIssues.get(`prompts.${i}`)}
              note={notes?.get(i)}
              last={i === rows.length - 1}
              controls={hydrated}
              actions={actions}
            />
          ))}
        </ol>
      )}
      {/* Without JavaScript the list cannot grow: any number of titles go in here instead. */}
      <noscript>
        <label className="block space-y-1 text-xs text-zinc-400">
          <span>More titles, one per line</span>
          <textarea name="prompts" rows={6} className={`${titleLinesCls} font-mono`} />
        </label>
      </noscript>
      {hydrated ? (
        <div className="flex flex-wrap gap-2">
          {!bulk ? (
            <button
              type="button"
              className="btn-secondary"
              onClick={() => {
                focusNext.current = { row: rows.length };
                onChange([...rows, ""]);
              }}
            >
              Add title
            </button>
          ) : null}
          <button type="button" className="btn-secondary" onClick={() => setBulk(!bulk)}>
            {bulk ? "Edit as list" : "Edit as text"}
          </button>
          <button
            type="button"
            className="btn-secondary"
            disabled={duplicates === 0}
            onClick={() => onChange(dedupe(rows))}
          >
            Remove duplicates{duplicates ? ` (${duplicates})` : ""}
          </button>
          <button type="button" className="btn-secondary" onClick={() => fileRef.current?.click()}>
            Import file…
          </button>
          <input
            ref={fileRef}
            type="file"
            accept=".txt,.csv,.json,text/plain,text/csv,application/json"
            // Opened by "Import file…" alone: a hidden field is no second, invisible tab stop.
            hidden
            aria-label="Import titles from a file"
            data-testid="import-file"
            onChange={(e) => {
              const file = e.target.files?.[0];
              if (file) onImport(file);
              e.target.value = "";
            }}
          />
        </div>
      ) : null}
    </fieldset>
  );
}
