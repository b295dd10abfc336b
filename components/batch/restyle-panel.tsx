"use client";

import { startTransition, useActionState, useMemo, useState, type FormEvent } from "react";
import { restyleAction, type RestyleState } from "@/app/(share)/b/[id]/actions";
import { FieldError, issuesFor, lineIssues } from "@/components/studio/field-error";
import { CanvasField, titleLinesCls } from "@/components/studio/canvas-field";
import { LookPicker } from "@/components/studio/look-picker";
import type { BatchView } from "@/lib/batches/paging";
import { plural } from "@/lib/format";
import type { StudioOptions } from "@/lib/studio/options";

export type RestyleOptions = Pick<StudioOptions, "templates" | "fonts" | "canvases">;

export interface RestylePanelProps {
  batch: BatchView;
  options: RestyleOptions;
}

const initial: RestyleState = { error: null, issues: [] };

/**
 * Same pictures, another look: a new batch that sets the titles over this batch's stored pictures with
 * another template, font or canvas (or corrected titles), with no new generation for them. A plain form
 * inside <details>, so it also works without JavaScript.
 */
export function RestylePanel({ batch, options }: RestylePanelProps) {
  const [state, action, pending] = useActionState(restyleAction, initial);
  // A refused post without JavaScript renders the page again with the action's state: the form starts from
  // what was posted, not from the batch (an id this server does not offer falls back to the batch's).
  const [posted] = useState(state.values);
  const known = (id: string | undefined, list: { value: string }[], batchId: string) =>
    id !== undefined && list.some((o) => o.value === id) ? id : batchId;
  const [template, setTemplate] = useState(() => known(posted?.template, options.templates, batch.template));
  const [font, setFont] = useState(() => known(posted?.font, options.fonts, batch.font));
  const [canvas, setCanvas] = useState(() => known(posted?.canvas, options.canvases, batch.canvas));
  const err = (name: string) => issuesFor(state.issues, name);
  const plan = useMemo(() => planRestyle(batch), [batch]);
  const canvasDef = options.canvases.find((c) => c.value === canvas) ?? options.canvases[0];
  const aspect = canvasDef ? canvasDef.width / canvasDef.height : 1200 / 630;
  const sample = batch.prompts[0] ?? "";
  const preview = (t: string, f: string) =>
    `/api/preview?${new URLSearchParams({ template: t, font: f, style: batch.style, canvas, title: sample })}`;

  // Sent from here, not through the form's action: React resets a form once its action is over, which put
  // the titles back to the batch's and the template, font and canvas inputs to the first render's while the
  // cards still showed the person's choices. `action` stays on the form for the post without JavaScript.
  function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const data = new FormData(e.currentTarget, (e.nativeEvent as SubmitEvent).submitter);
    startTransition(() => action(data));
  }

  return (
    // Open when refused: after a post without JavaScript the page comes back with the panel closed, and the
    // message inside it unseen.
    <details
      className="rounded-lg border border-zinc-800 bg-zinc-900/60 p-3"
      data-testid="restyle"
      open={state.error !== null}
    >
      <summary className="cursor-pointer text-sm font-medium text-zinc-200">
        Restyle: the same pictures with another template, font, canvas or titles
      </summary>
      <form action={action} onSubmit={onSubmit} className="mt-4 space-y-5" noValidate>
        <input type="hidden" name="source" value={batch.id} />
        <p className="text-sm text-zinc-400">
          Makes a new batch from the cells with a stored picture, composed again with no new generation and no
          cost; edited titles are set over the same picture.
        </p>
        <LookPicker
          options={options}
          template={template}
          font={font}
          onTemplate={setTemplate}
          onFont={setFont}
          aspect={aspect}
          preview={preview}
          issues={state.issues}
          idPrefix="restyle-"
        />
        <div className="grid gap-4 sm:grid-cols-2">
          <div>
            <CanvasField
              id="restyle-canvas"
              canvases={options.canvases}
              value={canvas}
              onChange={setCanvas}
            />
            <FieldError id="restyle-canvas-error" issues={err("canvas")} />
          </div>
          <div>
            <label htmlFor="restyle-prompts" className="mb-1 block text-sm font-medium text-zinc-200">
              Titles, one per line, in order
            </label>
            <textarea
              id="restyle-prompts"
              name="prompts"
              defaultValue={posted?.prompts ?? batch.prompts.join("\n")}
              rows={Math.min(8, Math.max(2, batch.prompts.length))}
              className={titleLinesCls}
              aria-describedby="restyle-prompts-error"
            />
            <FieldError id="restyle-prompts-error" issues={lineIssues(err("prompts"))} />
          </div>
        </div>
        <div className="flex flex-wrap items-center justify-between gap-3">
          <p className="text-sm text-zinc-300" data-testid="restyle-plan">
            {plural(plan.reused, "picture")} reused · no new generation, $0.00
            {plan.left > 0 ? ` · ${plural(plan.left, "cell")} without a stored picture left out` : ""}
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

/** How many cells have a stored picture to reuse, and how many of the matrix are left out. */
function planRestyle(batch: BatchView) {
  const reused = batch.cells.filter((c) => c.reusable).length;
  return { reused, left: batch.prompts.length * batch.models.length - reused };
}
