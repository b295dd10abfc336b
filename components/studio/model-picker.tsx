"use client";

import type { ModelOption } from "@/lib/studio/options";
import { formatRange, formatUsd } from "@/lib/format";
import { unitPrice } from "@/lib/studio/estimate";

export interface ModelPickerProps {
  models: ModelOption[];
  selected: string[];
  canvas: string;
  /** The quality chosen ("" for each model's default): a card prices the tier its model will run at. */
  quality: string;
  onChange: (selected: string[]) => void;
  describedBy?: string;
}

/**
 * Model cards: provider, price per image on the chosen canvas at the chosen quality (the estimate's
 * price), typical latency and availability.
 */
export function ModelPicker(props: ModelPickerProps) {
  const { models, selected, canvas, quality, onChange, describedBy } = props;
  return (
    <fieldset aria-describedby={describedBy}>
      <legend className="mb-2 text-sm font-medium text-zinc-200">Models</legend>
      <div className="grid gap-2 sm:grid-cols-2">
        {models.map((m) => {
          const checked = selected.includes(m.id);
          const price = unitPrice(m, canvas, quality || undefined);
          return (
            <label
              key={m.id}
              className={`flex cursor-pointer gap-3 rounded-lg border p-3 text-sm ${
                checked ? "border-sky-500 bg-sky-950/30" : "border-zinc-800 bg-zinc-900"
              } ${m.available ? "" : "cursor-not-allowed opacity-60"}`}
            >
              <input
                type="checkbox"
                name="models"
                value={m.id}
                checked={checked}
                disabled={!m.available}
                onChange={(e) =>
                  onChange(e.target.checked ? [...selected, m.id] : selected.filter((s) => s !== m.id))
                }
                className="mt-1 accent-sky-500"
              />
              <span className="min-w-0 space-y-0.5">
                <span className="block font-medium text-zinc-100">{m.label}</span>
                <span className="block text-xs text-zinc-400">
                  {m.providerLabel}
                  {m.simulated ? " · simulator" : ""} ·{" "}
                  {price === undefined ? "–" : price === 0 ? "free" : `${formatUsd(price)}/image`}
                  {m.priceIsEstimate ? " (est.)" : ""} · {formatRange(m.latencyMs.min, m.latencyMs.max)}
                </span>
                {m.available ? null : (
                  <span className="block text-xs text-amber-300">Unavailable: set {m.missingEnv}</span>
                )}
              </span>
            </label>
          );
        })}
      </div>
    </fieldset>
  );
}
