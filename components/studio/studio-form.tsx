"use client";

import { startTransition, useActionState, useEffect, useMemo, useRef, useState, type FormEvent } from "react";
import { unstable_rethrow } from "next/navigation";
import { submitBatchAction, type SubmitState } from "@/app/(studio)/actions";
import {
  HARD_MAX_IMAGES,
  overLimitMessage,
  parseBatchInput,
  readBudgetField,
  type FieldIssue,
} from "@/lib/batches/input";
import type { StudioOptions } from "@/lib/studio/options";
import {
  cancelSending,
  defaultValues,
  discardDraft,
  loadDraft,
  markSending,
  sanitizeDraft,
  saveDraft,
  type Draft,
  type DraftValues,
} from "@/lib/studio/draft";
import { noSplitReason, splitShape } from "@/lib/batches/split";
import { estimateBatch } from "@/lib/studio/estimate";
import { importFile, importModels, repeatedRows } from "@/lib/studio/import";
import { submitFailure } from "@/lib/studio/submit-failure";
import { selectLine } from "@/lib/studio/text-lines";
import { titleNote } from "@/lib/studio/title-notes";
import { useDebounced } from "@/lib/studio/use-debounced";
import { FieldError, issuesFor } from "./field-error";
import { ModelPicker } from "./model-picker";
import { CanvasField, inputCls } from "./canvas-field";
import { LookPicker } from "./look-picker";
import { OptionCards } from "./option-cards";
import { PromptList } from "./prompt-list";
import { useTitleFit } from "./use-title-fit";
import { EstimateBar } from "./estimate-bar";

const initial: SubmitState = { error: null, issues: [] };

/**
 * The submit with JavaScript. A server that does not answer (the connection dropped, a proxy's 502) or
 * refuses in plain text (an ended session) made the action throw, and the error page replaced the whole
 * form: said beside the button instead, with the form as it was. The redirect to the batch page is no
 * failure: Next.js handles it.
 */
async function sendFromBrowser(prev: SubmitState, data: FormData): Promise<SubmitState> {
  try {
    return await submitBatchAction(prev, data);
  } catch (error) {
    unstable_rethrow(error);
    return { error: submitFailure(error), issues: [] };
  }
}

const linkButton =
  "rounded text-sky-200 underline underline-offset-2 hover:text-white focus-visible:outline-2 focus-visible:outline-sky-400";

/** How the form starts instead of empty: from an earlier batch (`/?from=<id>`), or why it could not. */
export type StudioStart =
  { values: DraftValues; from: { id: string; title: string; titles: number } } | { error: string };

export function StudioForm({ options, start: given }: { options: StudioOptions; start?: StudioStart }) {
  // `action` is the form's own, for the post without JavaScript; with it, `send` (sendFromBrowser) is used.
  const [posted, action, postPending] = useActionState(submitBatchAction, initial);
  const [sent, send, sending] = useActionState(sendFromBrowser, initial);
  const state = sent !== initial ? sent : posted;
  const pending = postPending || sending;
  const from = given && "from" in given ? given : null;
  // A refusal without JavaScript renders the page again: it starts from what was sent, checked like a draft.
  const [start] = useState(
    () =>
      (state.posted && sanitizeDraft({ values: state.posted, rev: 0, savedAt: 0 }, options)?.values) ||
      from?.values ||
      defaultValues(options),
  );
  const [prompts, setPrompts] = useState<string[]>(start.prompts);
  const [models, setModels] = useState<string[]>(start.models);
  const [style, setStyle] = useState(start.style);
  const [template, setTemplate] = useState(start.template);
  const [font, setFont] = useState(start.font);
  const [canvas, setCanvas] = useState(start.canvas);
  const [quality, setQuality] = useState(start.quality);
  const [context, setContext] = useState(start.context);
  const [extraPrompt, setExtraPrompt] = useState(start.extraPrompt);
  const [budget, setBudget] = useState(start.budget);
  const [clientIssues, setClientIssues] = useState<FieldIssue[] | null>(null);
  const [split, setSplit] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  // Why the file last imported was not read: an error, shown as the fields' errors are.
  const [importError, setImportError] = useState<string | null>(null);
  const [restored, setRestored] = useState<{ titles: number; savedAt: number } | null>(null);
  // Started from a batch while an unsent draft was stored: offered instead, never overwritten unasked.
  const [startedFrom, setStartedFrom] = useState(from?.from ?? null);
  const [otherDraft, setOtherDraft] = useState<Draft | null>(null);

  const values: DraftValues = useMemo(
    () => ({ prompts, models, style, template, font, canvas, quality, context, extraPrompt, budget }),
    [prompts, models, style, template, font, canvas, quality, context, extraPrompt, budget],
  );
  const setValues = (v: DraftValues) => {
    setPrompts(v.prompts);
    setModels(v.models);
    setStyle(v.style);
    setTemplate(v.template);
    setFont(v.font);
    setCanvas(v.canvas);
    setQuality(v.quality);
    setContext(v.context);
    setExtraPrompt(v.extraPrompt);
    setBudget(v.budget);
  };
  // The unsent draft (lib/studio/draft.ts): restored once after hydration, then saved as it changes.
  // `saved` holds what storage has, so a save that would write the same values again is skipped.
  const saved = useRef<{ json: string; rev: number | null } | null>(null);
  const latest = useRef(values);
  useEffect(() => {
    // Any submit from an earlier visit is over: it reached its batch page (which removed the draft), or
    // it was refused or failed (an ended session, the server unreachable) and the draft must stay.
    cancelSending(sessionStorage);
    const draft = loadDraft(localStorage, options);
    // Storage exists only in the browser, after hydration (the server rendered the form without it), so
    // the stored draft can only come in here, once.
    if (from) {
      // The batch's values are the baseline: only the person's own edits replace the stored draft.
      // eslint-disable-next-line react-hooks/set-state-in-effect
      setOtherDraft(draft);
      saved.current = { json: JSON.stringify(from.values), rev: null };
      return;
    }
    if (draft) {
      setValues(draft.values);
      latest.current = draft.values;
      setRestored({ titles: draft.values.prompts.filter((p) => p.trim()).length, savedAt: draft.savedAt });
    }
    saved.current = { json: JSON.stringify(draft?.values ?? null), rev: draft?.rev ?? null };
    // Once, on mount: later changes are the person's own.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
  const save = (v: DraftValues) => {
    const json = JSON.stringify(v);
    if (!saved.current || saved.current.json === json) return saved.current?.rev ?? null;
    saved.current = { json, rev: saveDraft(localStorage, v, options) };
    return saved.current.rev;
  };
  useEffect(() => {
    latest.current = values;
    if (!saved.current) return; // before the restore above has run
    const timer = setTimeout(() => save(values), 300);
    return () => clearTimeout(timer);
    // save reads only refs and the stable options.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [values]);
  // The last keystrokes before leaving (closing the tab, a link elsewhere) are not left to the timer.
  useEffect(() => {
    const flush = () => save(latest.current);
    window.addEventListener("pagehide", flush);
    return () => {
      window.removeEventListener("pagehide", flush);
      flush();
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
  // A refused submit (server-side issues, an ended session) comes back as a new state: keep the draft.
  useEffect(() => {
    if (state !== initial) cancelSending(sessionStorage);
    // A refusal of no field (no answer, an ended session): the button, disabled while sending, had lost
    // the keyboard to the page; it gets it back, beside the message, to try again.
    if (state.error && state.issues.length === 0)
      formRef.current?.querySelector<HTMLButtonElement>('button[type="submit"]')?.focus();
  }, [state]);

  /** The form no longer shows the batch of `?from=`: a reload should not fill it in again. */
  function leaveStartUrl() {
    if (window.location.search) window.history.replaceState(null, "", window.location.pathname);
  }

  function openOtherDraft(draft: Draft) {
    leaveStartUrl();
    setValues(draft.values);
    setRestored({ titles: draft.values.prompts.filter((p) => p.trim()).length, savedAt: draft.savedAt });
    setStartedFrom(null);
    setOtherDraft(null);
  }

  function startOver() {
    leaveStartUrl();
    setValues(defaultValues(options));
    setStartedFrom(null);
    setOtherDraft(null);
    discardDraft(localStorage);
    saved.current = { json: JSON.stringify(null), rev: null };
    setRestored(null);
    setClientIssues(null);
    setNotice(null);
    setImportError(null);
  }

  const titles = useMemo(() => prompts.map((p) => p.trim()).filter(Boolean), [prompts]);
  const chosen = options.models.filter((m) => models.includes(m.id));
  const estimate = estimateBatch(titles.length, chosen, canvas, quality || undefined);
  const splitInto = splitShape(titles.length, chosen.length, options.maxImages);
  const noSplit = noSplitReason(titles.length, chosen.length, options.maxImages);
  const splitting = split && splitInto !== null && estimate.images > options.maxImages;
  const tiers = [...new Set(chosen.flatMap((m) => (m.qualities.length > 1 ? m.qualities : [])))];
  const issues = clientIssues ?? state.issues;
  const fits = useTitleFit(prompts, template, font, canvas);
  const templateLabel = options.templates.find((t) => t.value === template)?.label ?? template;
  const notes = new Map<number, string>();
  for (const [row, fit] of fits) {
    const note = titleNote(fit, templateLabel);
    if (note) notes.set(row, note);
  }
  // A repeated title is made (and paid for) twice: said under it, not only counted on the button.
  for (const [row, first] of repeatedRows(prompts)) {
    const repeat = `Same as title ${first + 1}: it would be made twice ("Remove duplicates" drops it).`;
    notes.set(row, [repeat, notes.get(row)].filter(Boolean).join(" "));
  }
  const err = (name: string) => issuesFor(issues, name);
  // A refused submit takes the keyboard to the first problem: its field, or its message.
  const formRef = useRef<HTMLFormElement>(null);
  useEffect(() => {
    if (issues.length === 0) return;
    const first = formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"], ul[role="alert"]');
    if (!first) return;
    if (first.tagName === "UL") first.tabIndex = -1;
    first.focus();
    // The titles as text: the caret goes to the first refused line, as the list focuses its row.
    const line = first.dataset.firstBadLine;
    if (first instanceof HTMLTextAreaElement && line) selectLine(first, Number(line));
  }, [issues]);
  const sampleTitle = useDebounced(titles[0] ?? "Your title goes here", 400);
  const canvasDef = options.canvases.find((c) => c.value === canvas) ?? options.canvases[0];
  const aspect = canvasDef ? canvasDef.width / canvasDef.height : 1200 / 630;
  const preview = (t: string, f: string) =>
    `/api/preview?${new URLSearchParams({ template: t, font: f, style, canvas, title: sampleTitle })}`;

  async function onImport(file: File) {
    const result = importFile(file.name, await file.text());
    // A file not read is an error to fix, not news: the notice of an earlier import goes with it.
    setNotice(null);
    setImportError(result.ok ? null : result.error);
    if (!result.ok) return;
    const v = result.value;
    // Titles typed before are kept: the file's come after them.
    const kept = prompts.filter((p) => p.trim() !== "");
    setPrompts([...kept, ...v.prompts]);
    const known = (ids: string[] | undefined, list: { value: string }[]) =>
      ids?.filter((id) => list.some((o) => o.value === id));
    const picked = v.models ? importModels(v.models, options.models) : { models: [], notes: [] };
    if (picked.models.length > 0) setModels(picked.models);
    if (v.style && known([v.style], options.styles)?.length) setStyle(v.style);
    if (v.template && known([v.template], options.templates)?.length) setTemplate(v.template);
    if (v.font && known([v.font], options.fonts)?.length) setFont(v.font);
    if (v.canvas && known([v.canvas], options.canvases)?.length) setCanvas(v.canvas);
    if (v.context !== undefined) setContext(v.context);
    if (v.extraPrompt !== undefined) setExtraPrompt(v.extraPrompt);
    const count = v.prompts.length === 1 ? "1 title" : `${v.prompts.length} titles`;
    const added =
      kept.length > 0
        ? `Added ${count} from ${file.name} after your ${kept.length}.`
        : `Imported ${count} from ${file.name}.`;
    const notes = picked.notes.length > 0 ? ` Models: ${picked.notes.join("; ")}.` : "";
    setNotice(added + notes);
  }

  function onSubmit(e: FormEvent<HTMLFormElement>) {
    // Past now: a refusal's keyboard goes to its own field, not to this message.
    setImportError(null);
    // "$5" is five dollars here, as the server action reads the same field.
    const budgetUsd = readBudgetField(budget);
    const parsed = parseBatchInput(
      {
        prompts,
        models,
        style,
        template,
        font,
        canvas,
        // A tier kept from models no longer chosen is not sent: the disabled select cannot change it.
        quality: quality && tiers.includes(quality) ? quality : undefined,
        context,
        extraPrompt,
        budgetUsd,
      },
      // A split submit is checked per batch on the server; here only against the most one submit may make.
      { maxImages: splitting ? HARD_MAX_IMAGES : options.maxImages },
    );
    const local: FieldIssue[] = parsed.ok ? [] : parsed.issues;
    if (parsed.ok && typeof budgetUsd === "number" && estimate.totalUsd > budgetUsd) {
      local.push({
        path: "budgetUsd",
        message: overLimitMessage(estimate.totalUsd, "your budget", budgetUsd),
      });
    }
    setClientIssues(local.length > 0 ? local : null);
    if (local.length > 0) return e.preventDefault();
    // The batch page this submit leads to removes the draft, if it is still this revision.
    markSending(sessionStorage, save(values));
    // Sent from here, not through the form's action: React resets a form once its action is over, which
    // put the checkboxes, radios and selects back to the page's first render while the state (the cards,
    // the estimate) kept the person's choices, so a second submit after a refusal sent other models,
    // template or quality than shown. `action` stays on the form for the post without JavaScript.
    e.preventDefault();
    const data = new FormData(e.currentTarget, (e.nativeEvent as SubmitEvent).submitter);
    startTransition(() => send(data));
  }

  return (
    <form ref={formRef} action={action} onSubmit={onSubmit} className="space-y-8" noValidate>
      <div className="grid gap-8 lg:grid-cols-[1.2fr_1fr]">
        <div className="space-y-4">
          <PromptList
            prompts={prompts}
            onChange={setPrompts}
            issues={err("prompts")}
            onImport={onImport}
            notes={notes}
          />
          <FieldError
            id="prompts-error"
            issues={err("prompts").filter((i) => !/^prompts\.\d+$/.test(i.path))}
          />
          <FieldError
            id="import-error"
            issues={importError ? [{ path: "import", message: importError }] : []}
          />
          {startedFrom ? (
            <p role="status" className="flex flex-wrap items-center gap-x-3 text-sm text-sky-300">
              <span>
                Started from batch “<bdi>{startedFrom.title}</bdi>”
                {startedFrom.titles > 1 ? ` (${startedFrom.titles} titles)` : ""}: change anything, then
                generate.
              </span>
              {otherDraft ? (
                <button type="button" onClick={() => openOtherDraft(otherDraft)} className={linkButton}>
                  Open your unsent draft from {new Date(otherDraft.savedAt).toLocaleString()} instead
                </button>
              ) : null}
            </p>
          ) : null}
          {given && "error" in given ? (
            <p role="status" className="text-sm text-amber-300">
              {given.error}
            </p>
          ) : null}
          {restored ? (
            <p role="status" className="flex flex-wrap items-center gap-x-3 text-sm text-sky-300">
              <span>
                Restored your unsent draft from {new Date(restored.savedAt).toLocaleString()} (
                {restored.titles === 1 ? "1 title" : `${restored.titles} titles`}).
              </span>
              <button type="button" onClick={startOver} className={linkButton}>
                Start over
              </button>
            </p>
          ) : null}
          {notice ? (
            <p role="status" className="text-sm text-sky-300">
              {notice}
            </p>
          ) : null}
          <div>
            <label htmlFor="context" className="mb-1 block text-sm font-medium text-zinc-200">
              Context <span className="font-normal text-zinc-400">(optional: what the titles are about)</span>
            </label>
            <textarea
              id="context"
              name="context"
              rows={2}
              value={context}
              onChange={(e) => setContext(e.target.value)}
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
              value={extraPrompt}
              onChange={(e) => setExtraPrompt(e.target.value)}
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
            quality={quality}
            onChange={setModels}
            describedBy="models-error"
          />
          <FieldError id="models-error" issues={err("models")} />
          <div className="grid gap-4 sm:grid-cols-2">
            {/* Full width: the canvas names and sizes are too long for a third of the column. */}
            <div className="sm:col-span-2">
              <CanvasField id="canvas" canvases={options.canvases} value={canvas} onChange={setCanvas} />
            </div>
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
                disabled={tiers.length === 0}
                aria-describedby="quality-error"
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
            <div>
              <label htmlFor="budgetUsd" className="mb-1 block text-sm font-medium text-zinc-200">
                Budget (USD)
              </label>
              <input
                id="budgetUsd"
                name="budgetUsd"
                inputMode="decimal"
                value={budget}
                onChange={(e) => setBudget(e.target.value)}
                placeholder="optional"
                className={inputCls}
                aria-describedby="budgetUsd-error"
              />
              <FieldError id="budgetUsd-error" issues={err("budgetUsd")} />
            </div>
          </div>
          <OptionCards
            name="style"
            legend="Style"
            value={style}
            onChange={setStyle}
            columns="grid-cols-3 sm:grid-cols-4"
            options={options.styles.map((s) => ({
              value: s.value,
              label: s.label,
              visual: (
                <span className="flex h-8" aria-hidden>
                  {s.swatches.map((c) => (
                    <span key={c} className="flex-1" style={{ background: c }} />
                  ))}
                </span>
              ),
            }))}
          />
          <FieldError id="style-error" issues={err("style")} />
        </div>
      </div>
      <LookPicker
        options={options}
        template={template}
        font={font}
        onTemplate={setTemplate}
        onFont={setFont}
        aspect={aspect}
        preview={preview}
        issues={issues}
      />
      <EstimateBar
        estimate={estimate}
        titles={titles.length}
        models={chosen}
        maxImages={options.maxImages}
        pending={pending}
        error={clientIssues ? "Please fix the fields marked above." : state.error}
        splitInto={splitInto}
        noSplit={noSplit}
        split={split}
        onSplit={setSplit}
      />
    </form>
  );
}
