"use client";

import type { StudioOptions } from "@/lib/studio/options";

/** The text inputs' and selects' look, shared by the studio and the restyle form. */
export const inputCls =
  "w-full rounded-md border border-zinc-700 bg-zinc-900 px-3 py-2 text-sm text-zinc-100 placeholder:text-zinc-400 focus:border-sky-500 focus:outline-none focus:ring-1 focus:ring-sky-500";

/** A textarea of titles, one per line: each line takes its own direction (Arabic, Hebrew right to left). */
export const titleLinesCls = `${inputCls} [unicode-bidi:plaintext]`;

export interface CanvasFieldProps {
  id: string;
  canvases: StudioOptions["canvases"];
  value: string;
  onChange: (id: string) => void;
}

/** The canvas select, with each canvas's name and pixel size. */
export function CanvasField({ id, canvases, value, onChange }: CanvasFieldProps) {
  return (
    <>
      <label htmlFor={id} className="mb-1 block text-sm font-medium text-zinc-200">
        Canvas
      </label>
      <select
        id={id}
        name="canvas"
        value={value}
        onChange={(e) => onChange(e.target.value)}
        className={inputCls}
      >
        {canvases.map((c) => (
          <option key={c.value} value={c.value}>
            {c.label} ({c.width}×{c.height})
          </option>
        ))}
      </select>
    </>
  );
}
