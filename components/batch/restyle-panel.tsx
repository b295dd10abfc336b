"use client";

import { useActionState, useMemo, useState } from "react";
import { restyleAction, type RestyleState } from "@/app/(share)/b/[id]/actions";
import { FieldError, issuesFor } from "@/components/studio/field-error";
import { OptionCards } from "@/components/studio/option-cards";
import type { BatchDto } from "@/lib/batches/dto";
import { formatUsd, plural } from "@/lib/format";
import type { StudioOptions } from "@/lib/studio/options";

export type RestyleOptions = Pick<StudioOptions, "templates" | "fonts" | "canvases" | "models">;

export interface RestylePanelProps {
  batch: BatchDto;
  options: RestyleOptions;
}

const initial: RestyleState = { error: null, issues: [] };
const inputCls =
  "w-full rounded border border-zinc-700 bg-zinc-900 px-2 py-1.5 text-sm text-zinc-100 focus:border-sky-500 focus:outline-none";

/**
 * Same pictures, another look: a new batch that sets the titles over this batch's stored pictures with
 * another template, font or canvas (or corrected titles), with no new generation for them. A plain form
 * inside <details>, so it also works without JavaScript.
 */
export function RestylePanel({ batch, options }: RestylePanelProps) {
  const [state, action, pending] = useActionState(restyleAction, initial);
  const [template, setTemplate] = useState(batch.template);
  const [font, setFont] = useState(batch.font);
  const [canvas, setCanvas] = useState(batch.canvas);
  const err = (name: string) => issuesFor(state.issues, name);
  const plan = useMemo(() => planRestyle(batch, options, canvas), [batch, options, canvas]);
  const canvasDef = options.canvases.find((c) => c.value === canvas) ?? options.canvases[0];
  const aspect = canvasDef ? canvasDef.width / canvasDef.height : 1200 / 630;
  const sample = batch.prompts[0] ?? "";
  const preview = (t: string, f: string) =>
    `/api/preview?${new URLSearchParams({ template: t, font: f, style: batch.style, canvas, title: sample })}`;

  return (
    <details className="rounded-lg border border-zinc-800 bg-zinc-900/60 p-3" data-testid="restyle">
      <summary className="cursor-pointer text-sm font-medium text-zinc-200">
        Restyle: the same pictures with another template, font, canvas or titles
      </summary>
      <form action={action} className="mt-4 space-y-5" noValidate>
        <input type="hidden" name="source" value={batch.id} />
        <p className="text-sm text-zinc-400">
          Makes a new batch. Every cell with a stored picture is composed again from it, with no new
          generation and no cost; edited titles are set over the same picture.
        </p>
        <OptionCards
          name="template"
          legend="Template"
          value={template}
          onChange={setTemplate}
          aspect={aspect}
          columns="grid-cols-2 sm:grid-cols-3 lg:grid-cols-5"
          options={options.templates.map((t) => ({
            value: t.value,
            label: t.label,
            image: preview(t.value, font),
          }))}
        />
        <FieldError id="restyle-template-error" issues={err("template")} />
        <OptionCards
          name="font"
          legend="Font"
          value={font}
          onChange={setFont}
          aspect={aspect}
          columns="grid-cols-2 sm:grid-cols-3 lg:grid-cols-5"
          options={options.fonts.map((f) => ({
            value: f.value,
            label: f.label,
            hint: f.category,
            image: preview(template, f.value),
          }))}
        />
        <FieldError id="restyle-font-error" issues={err("font")} />
        <div className="grid gap-4 sm:grid-cols-2">
          <div>
            <label htmlFor="restyle-canvas" className="mb-1 block text-sm font-medium text-zinc-200">
              Canvas
            </label>
            <select
              id="restyle-canvas"
              name="canvas"
              value={canvas}
              onChange={(e) => setCanvas(e.target.value)}
              className={inputCls}
            >
              {options.canvases.map((c) => (
                <option key={c.value} value={c.value}>
                  {c.label} ({c.width}×{c.height})
                </option>
              ))}
            </select>
            <FieldError id="restyle-canvas-error" issues={err("canvas")} />
          </div>
          <div>
            <label htmlFor="restyle-prompts" className="mb-1 block text-sm font-medium text-zinc-200">
              Titles, one per line, in order
            </label>
            <textarea
              id="restyle-prompts"
              name="prompts"
              defaultValue={batch.prompts.join("\n")}
              rows={Math.min(8, Math.max(2, batch.prompts.length))}
              className={inputCls}
              aria-describedby="restyle-prompts-error"
            />
            <FieldError id="restyle-prompts-error" issues={err("prompts")} />
          </div>
        </div>
        <div className="flex flex-wrap items-center justify-between gap-3">
          <p className="text-sm text-zinc-300" data-testid="restyle-plan">
            {plural(plan.reused, "picture")} reused
            {plan.generated > 0
              ? ` · ${plural(plan.generated, "cell")} without a stored picture generated (about ${formatUsd(plan.costUsd)})`
              : " · no new generation, $0.00"}
          </p>
          <button type="submit" className="btn-primary" disabled={pending}>
            {pending ? "Creating…" : "Create restyled batch"}
          </button>
        </div>
        <FieldError id="restyle-models-error" issues={err("models")} />
        {state.error ? (
          <p role="alert" className="text-sm text-red-300">
            {state.error}
            {state.issues.some((i) => i.path === "(root)")
              ? ` ${state.issues.find((i) => i.path === "(root)")?.message}`
              : ""}
          </p>
        ) : null}
      </form>
    </details>
  );
}

/** How many cells reuse a stored picture and what the others cost at list price on `canvas`. */
function planRestyle(batch: BatchDto, options: RestyleOptions, canvas: string) {
  const reusable = new Set(batch.cells.filter((c) => c.reusable).map((c) => `${c.promptIndex}:${c.model}`));
  let reused = 0;
  let generated = 0;
  let costUsd = 0;
  for (const model of batch.models) {
    const m = options.models.find((o) => o.id === model);
    const tier =
      m && batch.quality && m.qualities.includes(batch.quality) ? batch.quality : m?.defaultQuality;
    const price = (tier && m?.priceUsd[canvas]?.[tier]) || 0;
    batch.prompts.forEach((_, i) => {
      if (reusable.has(`${i}:${model}`)) reused += 1;
      else {
        generated += 1;
        costUsd += price;
      }
    });
  }
  return { reused, generated, costUsd };
}
