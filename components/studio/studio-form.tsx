"use client";

import { useActionState, useMemo, useState } from "react";
import { submitBatchAction, type SubmitState } from "@/app/(studio)/actions";
import type { StudioOptions } from "@/lib/studio/options";
import { estimateBatch } from "@/lib/studio/estimate";
import { formatMs, formatUsd, plural } from "@/lib/format";
import { FieldError, issuesFor } from "./field-error";
import { ModelPicker } from "./model-picker";

const initial: SubmitState = { error: null, issues: [] };
const inputCls =
  "w-full rounded-md border border-zinc-700 bg-zinc-900 px-3 py-2 text-sm text-zinc-100 placeholder:text-zinc-500 focus:border-sky-500 focus:outline-none focus:ring-1 focus:ring-sky-500";

export function StudioForm({ options }: { options: StudioOptions }) {
  const [state, action, pending] = useActionState(submitBatchAction, initial);
  const firstAvailable = options.models.find((m) => m.available)?.id;
  const [prompts, setPrompts] = useState("");
  const [models, setModels] = useState<string[]>(firstAvailable ? [firstAvailable] : []);
  const [canvas, setCanvas] = useState(options.defaults.canvas);
  const [quality, setQuality] = useState("");
  const titles = useMemo(
    () =>
      prompts
        .split(/\r?\n/)
        .map((p) => p.trim())
        .filter(Boolean),
    [prompts],
  );
  const chosen = options.models.filter((m) => models.includes(m.id));
  const estimate = estimateBatch(titles.length, chosen, canvas, quality || undefined);
  const over = estimate.images > options.maxImages;
  const tiers = [...new Set(chosen.flatMap((m) => (m.qualities.length > 1 ? m.qualities : [])))];
  const err = (name: string) => issuesFor(state.issues, name);
  const select = (name: string, label: string, items: { value: string; label: string }[], value: string) => (
    <div>
      <label htmlFor={name} className="mb-1 block text-sm font-medium text-zinc-200">
        {label}
      </label>
      <select
        id={name}
        name={name}
        defaultValue={value}
        className={inputCls}
        aria-describedby={`${name}-error`}
      >
        {items.map((i) => (
          <option key={i.value} value={i.value}>
            {i.label}
          </option>
        ))}
      </select>
      <FieldError id={`${name}-error`} issues={err(name)} />
    </div>
  );

  return (
    <form action={action} className="space-y-6" noValidate>
      <div className="grid gap-6 lg:grid-cols-[1.2fr_1fr]">
        <div className="space-y-4">
          <div>
            <label htmlFor="prompts" className="mb-1 block text-sm font-medium text-zinc-200">
              Titles{" "}
              <span className="font-normal text-zinc-400">(one per line, up to 200 characters each)</span>
            </label>
            <textarea
              id="prompts"
              name="prompts"
              rows={10}
              value={prompts}
              onChange={(e) => setPrompts(e.target.value)}
              placeholder={"Why fan-out beats sequential generation\nThree retries with exponential backoff"}
              className={`${inputCls} font-mono`}
              aria-describedby="prompts-error"
            />
            <FieldError id="prompts-error" issues={err("prompts")} />
          </div>
          <div>
            <label htmlFor="context" className="mb-1 block text-sm font-medium text-zinc-200">
              Context <span className="font-normal text-zinc-400">(optional: what the titles are about)</span>
            </label>
            <textarea
              id="context"
              name="context"
              rows={2}
              maxLength={1000}
              className={inputCls}
              aria-describedby="context-error"
            />
            <FieldError id="context-error" issues={err("context")} />
          </div>
          <div>
            <label htmlFor="extraPrompt" className="mb-1 block text-sm font-medium text-zinc-200">
              Extra guidance{" "}
              <span className="font-normal text-zinc-400">(optional: added to every image prompt)</span>
            </label>
            <textarea
              id="extraPrompt"
              name="extraPrompt"
              rows={2}
              maxLength={500}
              className={inputCls}
              aria-describedby="extraPrompt-error"
            />
            <FieldError id="extraPrompt-error" issues={err("extraPrompt")} />
          </div>
        </div>
        <div className="space-y-4">
          <ModelPicker
            models={options.models}
            selected={models}
            canvas={canvas}
            onChange={setModels}
            describedBy="models-error"
          />
          <FieldError id="models-error" issues={err("models")} />
          <div className="grid gap-4 sm:grid-cols-2">
            {select("style", "Style", options.styles, options.defaults.style)}
            {select("template", "Template", options.templates, options.defaults.template)}
            {select("font", "Font", options.fonts, options.defaults.font)}
            <div>
              <label htmlFor="canvas" className="mb-1 block text-sm font-medium text-zinc-200">
                Canvas
              </label>
              <select
                id="canvas"
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
              <FieldError id="canvas-error" issues={err("canvas")} />
            </div>
            {tiers.length > 0 ? (
              <div>
                <label htmlFor="quality" className="mb-1 block text-sm font-medium text-zinc-200">
                  Quality
                </label>
                <select
                  id="quality"
                  name="quality"
                  value={quality}
                  onChange={(e) => setQuality(e.target.value)}
                  className={inputCls}
                >
                  <option value="">Model default</option>
                  {tiers.map((t) => (
                    <option key={t} value={t}>
                      {t}
                    </option>
                  ))}
                </select>
                <FieldError id="quality-error" issues={err("quality")} />
              </div>
            ) : null}
            <div>
              <label htmlFor="budgetUsd" className="mb-1 block text-sm font-medium text-zinc-200">
                Budget in USD <span className="font-normal text-zinc-400">(optional)</span>
              </label>
              <input
                id="budgetUsd"
                name="budgetUsd"
                inputMode="decimal"
                placeholder="e.g. 5"
                className={inputCls}
                aria-describedby="budgetUsd-error"
              />
              <FieldError id="budgetUsd-error" issues={err("budgetUsd")} />
            </div>
          </div>
        </div>
      </div>
      <div className="sticky bottom-0 flex flex-wrap items-center justify-between gap-4 border-t border-zinc-800 bg-zinc-950/95 py-4 backdrop-blur">
        <p className="text-sm text-zinc-300" data-testid="estimate" aria-live="polite">
          <span className={over ? "font-semibold text-red-300" : "font-semibold text-zinc-100"}>
            {plural(titles.length, "title")} × {plural(chosen.length, "model")} ={" "}
            {plural(estimate.images, "image")}
          </span>{" "}
          (limit {options.maxImages}) · est.{" "}
          <span data-testid="estimate-cost">{formatUsd(estimate.totalUsd)}</span> · about{" "}
          {formatMs(estimate.wallClockMs)}
        </p>
        <div className="flex items-center gap-3">
          {state.error ? (
            <p className="text-sm text-red-300" role="alert">
              {state.error}
            </p>
          ) : null}
          <button type="submit" className="btn-primary px-5 py-2" disabled={pending}>
            {pending ? "Starting…" : "Generate thumbnails"}
          </button>
        </div>
      </div>
    </form>
  );
}
