"use client";

import { useEffect, useMemo, useState } from "react";
import type { BatchDto } from "@/lib/batches/dto";
import { batchPageHref, type BatchView } from "@/lib/batches/paging";
import { plural } from "@/lib/format";
import { batchZipUrl, contactSheetUrl } from "@/lib/export/urls";
import { BATCH_IDLE_MS, lastChange, msUntilIdle, msUntilStalled } from "@/lib/batches/stalled";
import { useHydrated } from "@/lib/use-hydrated";
import { retryNote } from "@/lib/batches/blocked";
import { requeuedNote, type ControlAnswer } from "@/lib/batches/requeued-note";
import { runningParts } from "@/lib/batches/progress";
import { CostTable } from "./cost-table";
import { ProgressBar } from "./progress-bar";

export interface BatchHeaderProps {
  batch: BatchView;
  /** The page of the grid shown (1-based): where a form posted without JavaScript comes back to. */
  page?: number;
  canManage: boolean;
  live: boolean;
  onChange: (batch: BatchDto) => void;
  modelLabels?: Record<string, string>;
  /** The style, template, font and canvas as people read them; the ids where absent. */
  look?: string;
  /**
   * Still queued past ENGINE_STALL_MS when the server rendered the page: the hint and its "Send to the
   * engine again" form are in the page from the start, so they are there without JavaScript too.
   */
  stalledAtLoad?: boolean;
}

const TERMINAL = new Set(["succeeded", "partial", "failed", "cancelled"]);

type ControlAction = "cancel" | "retry" | "resume" | "resend";

/**
 * A real form: with JavaScript it calls the API in place; without, it posts and is redirected back to
 * the page of the grid it was on.
 */
function ControlForm(props: {
  batchId: string;
  page: number;
  action: ControlAction;
  busy: boolean;
  onAct: (action: ControlAction) => void;
  className: string;
  formClassName?: string;
  /** Not offered yet (besides while a control is busy); `describedBy` names the note saying why. */
  disabled?: boolean;
  describedBy?: string;
  children: React.ReactNode;
}) {
  return (
    <form
      method="post"
      action={`/api/batches/${props.batchId}/${props.action}`}
      onSubmit={(e) => (e.preventDefault(), props.onAct(props.action))}
      className={props.formClassName}
    >
      <input type="hidden" name="page" value={props.page} />
      <button
        type="submit"
        disabled={props.busy || props.disabled}
        aria-describedby={props.describedBy}
        className={props.className}
      >
        {props.children}
      </button>
    </form>
  );
}

/** The batch's address without the page's query (a page number, a lightbox to open). */
const shareUrl = (id: string) => new URL(`/b/${id}`, window.location.href).href;

/**
 * Copies `text`: through the Clipboard API where the page may use it (https, localhost), else the
 * older copy command (plain http on a LAN address has no navigator.clipboard). False if neither did.
 */
async function copyText(text: string): Promise<boolean> {
  try {
    if (navigator.clipboard) {
      await navigator.clipboard.writeText(text);
      return true;
    }
  } catch {
    // Refused (no permission, page not focused): try the older way.
  }
  const field = document.createElement("textarea");
  field.value = text;
  field.setAttribute("readonly", "");
  field.style.position = "fixed";
  field.style.opacity = "0";
  document.body.appendChild(field);
  field.select();
  try {
    return document.execCommand("copy");
  } catch {
    return false;
  } finally {
    field.remove();
  }
}

export function BatchHeader(props: BatchHeaderProps) {
  const { batch, page = 1, canManage, live, onChange, modelLabels, look, stalledAtLoad } = props;
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const { counts } = batch;
  const running = !TERMINAL.has(batch.status);
  // In progress, retrying, waiting, time left: what a big batch's owner watches while it runs.
  const progress = useMemo(
    () => (running ? runningParts(counts, batch.cells, batch.startedAt) : []),
    [running, counts, batch.cells, batch.startedAt],
  );
  // A resend restarts the wait: the hint comes back only if the engine ignores this event too.
  const [resentAt, setResentAt] = useState<string | null>(null);
  // Queued too long: no run started. Running with no change for long: the run may be lost.
  const stalled = useTimeUp(batch.id, batch.status, resentAt ?? batch.createdAt, untilStalled, stalledAtLoad);
  const idle = useTimeUp(batch.id, batch.status, lastChange(batch), msUntilIdle);

  async function act(action: ControlAction) {
    setBusy(true);
    setMessage(null);
    try {
      const res = await fetch(`/api/batches/${batch.id}/${action}`, { method: "POST" });
      const body = (await res.json()) as ControlAnswer;
      if (!res.ok) setMessage(body.error ?? `Request failed (${res.status})`);
      else if (body.batch) onChange(body.batch);
      if (res.ok) setMessage(requeuedNote(action, body));
      // Refused while calls from before the cancel are out, which this page had not heard of (it read
      // the batch just before they were counted): read it again, so Resume waits for them.
      if (res.status === 409 && action === "resume") await reread();
      if (res.ok && action === "resend") setResentAt(new Date().toISOString());
    } catch (err) {
      setMessage((err as Error).message);
    } finally {
      setBusy(false);
    }
  }

  async function reread() {
    try {
      const res = await fetch(`/api/batches/${batch.id}`, { cache: "no-store" });
      if (res.ok) onChange((await res.json()) as BatchDto);
    } catch {
      // The refusal is said already; the live stream catches up on its own.
    }
  }

  const control = { batchId: batch.id, page, busy, onAct: act };
  // A resume is refused while cancelled cells' calls from before the cancel may land (their pictures
  // would be paid twice), while the batch runs again too; a cancelled new take's call holds nothing back.
  const resumeWaits = canManage && counts.cancelled > 0 && batch.cancelledCallsOut > 0;
  // Retry stays offered, but a title the provider refused for its content is likely refused again.
  const blockedNote = canManage && counts.failed > 0 ? retryNote(batch.cells) : null;

  // Without JavaScript nothing is live and there is no clipboard: a link and a reload instead.
  const hydrated = useHydrated();

  async function copy() {
    const url = shareUrl(batch.id);
    setMessage((await copyText(url)) ? "Link copied" : `Could not reach the clipboard; the link is ${url}`);
  }

  return (
    <header className="space-y-3">
      <div className="flex flex-wrap items-start justify-between gap-4">
        <div>
          <h1 className="text-xl font-semibold">
            {plural(batch.prompts.length, "title")} × {plural(batch.models.length, "model")}
          </h1>
          <p className="text-sm text-zinc-400">
            {look ?? `${batch.style} · ${batch.template} · ${batch.font} · ${batch.canvas}`}
            {batch.restyledFrom ? (
              <>
                {" · "}
                <a href={`/b/${batch.restyledFrom}`} className="text-sky-400 hover:underline">
                  restyled from an earlier batch
                </a>
              </>
            ) : null}
          </p>
        </div>
        <div className="flex flex-wrap gap-2">
          {hydrated ? (
            <button type="button" onClick={copy} className="btn-secondary">
              Copy link
            </button>
          ) : (
            <a href={`/b/${batch.id}`} className="btn-secondary">
              Link to share
            </a>
          )}
          <a href={`/?from=${batch.id}`} className="btn-secondary">
            New batch from these titles
          </a>
          {counts.succeeded > 0 ? (
            <a href={batchZipUrl(batch.id)} className="btn-secondary" download>
              Download ZIP
            </a>
          ) : null}
          {counts.succeeded > 0 ? (
            <a href={contactSheetUrl(batch.id)} className="btn-secondary" target="_blank" rel="noreferrer">
              Contact sheet
            </a>
          ) : null}
          {canManage && running ? (
            <ControlForm {...control} action="cancel" className="btn-danger">
              Cancel batch
            </ControlForm>
          ) : null}
          {canManage && counts.failed > 0 ? (
            <ControlForm
              {...control}
              action="retry"
              className="btn-primary"
              describedBy={blockedNote ? "retry-note" : undefined}
            >
              Retry {plural(counts.failed, "failed cell")}
            </ControlForm>
          ) : null}
          {canManage && counts.cancelled > 0 ? (
            <ControlForm
              {...control}
              action="resume"
              className="btn-secondary"
              disabled={resumeWaits}
              describedBy={resumeWaits ? "resume-waits" : undefined}
            >
              Resume {plural(counts.cancelled, "cancelled cell")}
            </ControlForm>
          ) : null}
        </div>
      </div>
      {blockedNote ? (
        <p id="retry-note" className="text-sm text-amber-300" data-testid="retry-note">
          {blockedNote}
        </p>
      ) : null}
      {resumeWaits ? (
        <p id="resume-waits" role="status" className="text-sm text-zinc-400" data-testid="resume-waits">
          Waiting for {plural(batch.cancelledCallsOut, "image")} from before the cancel to land… Resume is
          offered once {batch.cancelledCallsOut === 1 ? "it has" : "they have"}, so nothing is paid for twice.
          {hydrated ? null : (
            <>
              {" "}
              <a href={batchPageHref(batch.id, page)} className="text-sky-400 hover:underline">
                Reload to check
              </a>
            </>
          )}
        </p>
      ) : null}
      <ProgressBar counts={counts} />
      <p className="flex flex-wrap gap-x-4 gap-y-1 text-sm text-zinc-400" data-testid="batch-summary">
        <span data-testid="batch-status">Status: {batch.status}</span>
        <span>
          {counts.done}/{counts.total} done · {counts.succeeded} succeeded · {counts.failed} failed
          {counts.cancelled ? ` · ${counts.cancelled} cancelled` : ""}
        </span>
        {running && progress.length > 0 ? (
          <span data-testid="batch-progress">{progress.join(" · ")}</span>
        ) : null}
        {running && hydrated ? <span>{live ? "Live" : "Connecting…"}</span> : null}
        {running && !hydrated ? (
          <a href={batchPageHref(batch.id, page)} className="text-sky-400 hover:underline">
            Reload to see progress
          </a>
        ) : null}
      </p>
      {stalled ? (
        <div
          role="status"
          className="rounded border border-amber-900 bg-amber-950/40 p-2 text-sm text-amber-200"
        >
          Not started yet: the workflow engine has not picked this batch up. Check that the engine is running
          and has synced this app, then{" "}
          {canManage ? "send the batch to it again." : "ask the batch's creator to send it again."}
          {canManage ? (
            <ControlForm {...control} action="resend" className="btn-secondary" formClassName="mt-2">
              Send to the engine again
            </ControlForm>
          ) : null}
        </div>
      ) : null}
      {idle ? (
        <div
          role="status"
          data-testid="idle-hint"
          className="rounded border border-amber-900 bg-amber-950/40 p-2 text-sm text-amber-200"
        >
          Nothing has changed for {BATCH_IDLE_MS / 60_000} minutes. The workflow engine may be down or may
          have lost this batch, or a provider asked to wait a long time.{" "}
          {canManage
            ? "To start it again, cancel it and then resume its cancelled cells: pictures already paid for are kept."
            : "Its creator can cancel it and resume it."}
        </div>
      ) : null}
      <CostTable batch={batch} modelLabels={modelLabels} />
      {/* The reason stays on the batch while any cell it cancelled is left (a retry of failed cells
          keeps it; a resume clears it): said once the batch has ended with such cells, not while it
          runs again. */}
      {batch.cancelReason && !running && counts.cancelled > 0 ? (
        <p className="text-sm text-amber-300" data-testid="cancel-reason">
          Cancelled: {batch.cancelReason}
        </p>
      ) : null}
      {batch.notices.map((n) => (
        <p key={n} className="rounded border border-amber-900 bg-amber-950/40 p-2 text-sm text-amber-200">
          {n}
        </p>
      ))}
      {message ? (
        <p role="status" className="text-sm text-zinc-300" data-testid="control-message">
          {message}
        </p>
      ) : null}
    </header>
  );
}

type Wait = (status: BatchDto["status"], since: string | null, now: number) => number | null;

const untilStalled: Wait = (status, since, now) =>
  since === null ? null : msUntilStalled({ status, createdAt: since }, now);

/**
 * True once `wait` has run out for this batch in this status since `since`; any change of the three
 * starts over. Set from a timer after mounting, so the server and client renders agree; `atLoad`: it
 * had run out when the server rendered the page (both renders start from it).
 */
function useTimeUp(
  id: string,
  status: BatchDto["status"],
  since: string | null,
  wait: Wait,
  atLoad = false,
): boolean {
  const key = `${id}@${status}@${since}`;
  const [firedFor, setFiredFor] = useState<string | null>(atLoad ? key : null);
  useEffect(() => {
    const ms = wait(status, since, Date.now());
    if (ms === null) return;
    const timer = setTimeout(() => setFiredFor(key), ms);
    return () => clearTimeout(timer);
  }, [key, status, since, wait]);
  return firedFor === key;
}
