"use client";

import { useId, type ReactNode } from "react";

export interface OptionCard {
  value: string;
  label: string;
  hint?: string;
  /**
   * What the option does, for those who cannot see its preview: the radio's description (a tooltip for
   * the rest), so its name stays the short label.
   */
  description?: string;
  /** Preview image URL (rendered by the real compositor) or a custom visual. */
  image?: string;
  visual?: ReactNode;
}

export interface OptionCardsProps {
  name: string;
  legend: string;
  options: OptionCard[];
  value: string;
  onChange: (value: string) => void;
  aspect?: number;
  columns?: string;
}

/** A radio group drawn as cards with a visual preview; arrow keys move between options as usual. */
export function OptionCards({
  name,
  legend,
  options,
  value,
  onChange,
  aspect = 1200 / 630,
  columns,
}: OptionCardsProps) {
  const ids = useId();
  return (
    <fieldset>
      <legend className="mb-2 text-sm font-medium text-zinc-200">{legend}</legend>
      <div className={`grid gap-2 ${columns ?? "grid-cols-2 sm:grid-cols-3"}`} role="presentation">
        {options.map((o) => {
          const checked = o.value === value;
          const describedBy = o.description ? `${ids}-${o.value}-description` : undefined;
          return (
            <label
              key={o.value}
              title={o.description}
              className={`group relative cursor-pointer overflow-hidden rounded-lg border text-xs transition-colors motion-reduce:transition-none has-[:focus-visible]:ring-2 has-[:focus-visible]:ring-sky-400 ${
                checked ? "border-sky-500 bg-sky-950/30" : "border-zinc-800 bg-zinc-900 hover:border-zinc-600"
              }`}
            >
              <input
                type="radio"
                name={name}
                value={o.value}
                checked={checked}
                onChange={() => onChange(o.value)}
                aria-describedby={describedBy}
                // Over the whole card, unseen: the keyboard scrolls the card into view, not a corner of it.
                className="absolute inset-0 z-10 cursor-pointer appearance-none opacity-0"
              />
              {o.image ? (
                <span className="block bg-zinc-800" style={{ aspectRatio: String(aspect) }}>
                  {/* eslint-disable-next-line @next/next/no-img-element -- previews are generated at display size */}
                  <img src={o.image} alt="" loading="lazy" className="h-full w-full object-cover" />
                </span>
              ) : (
                o.visual
              )}
              <span className="block px-2 py-1.5">
                <span className={checked ? "font-medium text-sky-200" : "text-zinc-200"}>{o.label}</span>
                {o.hint ? <span className="block text-zinc-400">{o.hint}</span> : null}
                {describedBy ? (
                  <span id={describedBy} className="sr-only">
                    {o.description}
                  </span>
                ) : null}
              </span>
            </label>
          );
        })}
      </div>
    </fieldset>
  );
}
