"use client";

import { useId, useRef, useState, type ClipboardEvent } from "react";
import { dedupe } from "@/lib/studio/import";
import type { FieldIssue } from "@/lib/batches/input";

export interface PromptListProps {
  prompts: string[];
  onChange: (prompts: string[]) => void;
  issues: readonly FieldIssue[];
  onImport: (file: File) => void;
}

const input =
  "w-full rounded-md border border-zinc-700 bg-zinc-900 px-3 py-2 text-sm text-zinc-100 placeholder:text-zinc-400 focus:border-sky-500 focus:outline-none focus:ring-1 focus:ring-sky-500";
const iconBtn =
  "rounded p-1.5 text-zinc-400 hover:bg-zinc-800 hover:text-zinc-100 focus-visible:outline-2 focus-visible:outline-sky-400 disabled:opacity-30";

/** Titles as an editable list: add, remove, reorder, de-duplicate, paste many lines, import a file. */
export function PromptList({ prompts, onChange, issues, onImport }: PromptListProps) {
  const [bulk, setBulk] = useState(false);
  const fileRef = useRef<HTMLInputElement>(null);
  const id = useId();
  const rows = prompts.length === 0 ? [""] : prompts;
  const set = (i: number, value: string) => onChange(rows.map((p, j) => (j === i ? value : p)));
  const move = (i: number, by: number) => {
    const next = [...rows];
    const [item] = next.splice(i, 1);
    next.splice(i + by, 0, item ?? "");
    onChange(next);
  };
  const onPaste = (i: number) => (e: ClipboardEvent<HTMLInputElement>) => {
    const text = e.clipboardData.getData("text");
    if (!text.includes("\n")) return;
    e.preventDefault();
    const pasted = text
      .split(/\r?\n/)
      .map((l) => l.trim())
      .filter(Boolean);
    onChange([
      ...rows.slice(0, i),
      ...(rows[i]?.trim() ? [rows[i] ?? ""] : []),
      ...pasted,
      ...rows.slice(i + 1),
    ]);
  };
  const rowIssue = (i: number) => issues.find((x) => x.path === `prompts.${i}`)?.message;
  const duplicates = rows.filter((p) => p.trim()).length - dedupe(rows.filter((p) => p.trim())).length;

  return (
    <fieldset className="space-y-2" aria-describedby={`${id}-help prompts-error`}>
      <legend className="text-sm font-medium text-zinc-200">Titles</legend>
      <p id={`${id}-help`} className="text-xs text-zinc-400">
        One thumbnail per title and model, up to 200 characters each. Paste several lines at once, or import a
        .txt, .csv or batch.json file.
      </p>
      {bulk ? (
        <textarea
          aria-label="All titles, one per line"
          name="prompts"
          rows={Math.min(16, Math.max(6, rows.length + 1))}
          value={rows.join("\n")}
          onChange={(e) => onChange(e.target.value.split("\n"))}
          className={`${input} font-mono`}
        />
      ) : (
        <ol className="space-y-2" data-testid="prompt-list">
          {rows.map((p, i) => (
            <li key={i} className="flex items-start gap-2">
              <span className="w-6 pt-2 text-right text-xs text-zinc-400">{i + 1}</span>
              <div className="flex-1">
                <input
                  name="prompts"
                  value={p}
                  aria-label={`Title ${i + 1}`}
                  aria-invalid={rowIssue(i) ? true : undefined}
                  onChange={(e) => set(i, e.target.value)}
                  onPaste={onPaste(i)}
                  onKeyDown={(e) => {
                    if (e.key === "Enter") {
                      e.preventDefault();
                      onChange([...rows.slice(0, i + 1), "", ...rows.slice(i + 1)]);
                    }
                  }}
                  placeholder={i === 0 ? "Why fan-out beats sequential generation" : "Another title"}
                  className={input}
                  maxLength={400}
                />
                {rowIssue(i) ? <p className="mt-1 text-xs text-red-300">{rowIssue(i)}</p> : null}
              </div>
              <button
                type="button"
                className={iconBtn}
                aria-label={`Move title ${i + 1} up`}
                disabled={i === 0}
                onClick={() => move(i, -1)}
              >
                ↑
              </button>
              <button
                type="button"
                className={iconBtn}
                aria-label={`Move title ${i + 1} down`}
                disabled={i === rows.length - 1}
                onClick={() => move(i, 1)}
              >
                ↓
              </button>
              <button
                type="button"
                className={iconBtn}
                aria-label={`Remove title ${i + 1}`}
                onClick={() => onChange(rows.filter((_, j) => j !== i))}
              >
                ✕
              </button>
            </li>
          ))}
        </ol>
      )}
      <div className="flex flex-wrap gap-2">
        {!bulk ? (
          <button type="button" className="btn-secondary" onClick={() => onChange([...rows, ""])}>
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
          className="sr-only"
          aria-label="Import titles from a file"
          data-testid="import-file"
          onChange={(e) => {
            const file = e.target.files?.[0];
            if (file) onImport(file);
            e.target.value = "";
          }}
        />
      </div>
    </fieldset>
  );
}
