"use client";
/**
 * New takes on the batch page, for the batch's owner, on finished images (while other cells may still
 * be at work: the batch's run makes the takes next). With JavaScript, "New take" marks a cell and a bar
 * sends every marked cell at once (one round, one price shown before anything is spent); without it,
 * the button is a plain form post of that one cell. The pictures takes replaced are the cell's other
 * takes, shown small, each a button that switches to it.
 */
import Image from "next/image";
import {
  useCallback,
  useEffect,
  useMemo,
  useRef,
  useState,
  useSyncExternalStore,
  type ReactNode,
} from "react";
import type { BatchDto, CellDto } from "@/lib/batches/dto";
import type { CellSummary } from "@/lib/batches/live";
import {
  liveMarks,
  marksKey,
  marksSnapshot,
  noMarks,
  sentTakes,
  setMarks,
  subscribeMarks,
  tabStorage,
  takesEnded,
  type Mark,
  type SentTakes,
} from "@/lib/batches/take-marks";
import { formatUsd, plural } from "@/lib/format";
import { useHydrated } from "@/lib/use-hydrated";
import { useStickyBottom } from "@/lib/use-sticky-bottom";

export interface TakeControl {
  batchId: string;
  /** The page of the grid shown (1-based): a form posted without JavaScript comes back to it. */
  page: number;
  /** List price of one take per model; a model absent here cannot take one. */
  prices: Record<string, number>;
  busy: boolean;
  /** Ids of the cells marked for a new take. */
  marked: ReadonlySet<string>;
  /** False until hydrated: the button is then a plain form post of its cell, not a toggle. */
  marking: boolean;
  onToggle: (cell: CellDto) => void;
  /** Shows the cell's other take number `other` instead of its picture, which leads the other takes then. */
  onSwitch: (cell: CellDto, other: string) => void;
  /** Moves the keyboard to the bar that sends the marks (it comes after the whole grid). */
  toBar: () => void;
}

/** What the takes bar says: takes asked for (`sent`), or a refusal or error about `cells`. */
interface Message {
  text: string;
  sent?: SentTakes;
  cells?: readonly string[];
}

// Per image as the studio's model cards say it ($0.015, $0.134); free for the offline preview.
const priceText = (usd: number) => (usd === 0 ? "free" : formatUsd(usd));

interface CellControlProps {
  cell: CellDto;
  take: TakeControl;
  className?: string;
  /** The model's name in the buttons' labels (the catalog's label, as its column says it); the id where absent. */
  modelLabel?: string;
}

/**
 * "New take · $0.05" for a finished cell whose model can be called here; nothing otherwise. In the
 * grid (`skipToBar`), a marked cell's button is followed by one that takes the keyboard to the bar,
 * shown only while focused: without it, the bar is reached past every later cell of the page.
 */
export function TakeForm(props: CellControlProps & { skipToBar?: boolean }) {
  const { cell, take, className, skipToBar, modelLabel } = props;
  const price = cell.status === "succeeded" ? take.prices[cell.model] : undefined;
  if (price === undefined) return null;
  const marked = take.marked.has(cell.id);
  const cost = priceText(price);
  return (
    <form
      method="post"
      action={`/api/batches/${take.batchId}/takes`}
      onSubmit={(e) => (e.preventDefault(), take.onToggle(cell))}
      className={className}
    >
      <input type="hidden" name="promptIndex" value={cell.promptIndex} />
      <input type="hidden" name="model" value={cell.model} />
      {/* A stale page (a take made since, elsewhere) is refused instead of paying for another. */}
      <input type="hidden" name="attempts" value={cell.attempts} />
      <input type="hidden" name="page" value={take.page} />
      <button
        type="submit"
        disabled={take.busy}
        aria-pressed={take.marking ? marked : undefined}
        className={`rounded border px-2 py-0.5 disabled:opacity-50 ${
          marked
            ? "border-sky-500 bg-sky-950/60 text-sky-100"
            : "border-zinc-700 text-zinc-300 hover:border-zinc-500 hover:text-zinc-100"
        }`}
        title="Ask the model for another picture; this one stays until the new one is ready"
        aria-label={`New take · ${cost}: “${cell.prompt}”, ${modelLabel ?? cell.model}`}
      >
        {marked ? "✓ " : ""}New take · {cost}
      </button>
      {skipToBar && take.marking && marked ? (
        <button
          type="button"
          onClick={take.toBar}
          className="sr-only rounded border border-sky-500 px-2 py-0.5 text-sky-100 focus:not-sr-only focus:ml-2"
        >
          Go to New takes ({take.marked.size})
        </button>
      ) : null}
    </form>
  );
}

/**
 * The cell's other takes (pictures its new takes replaced, most recently shown first), small, each a
 * button that shows it instead; the picture shown then leads the other takes. Without JavaScript, a
 * form post naming the take.
 */
export function OtherTakes({ cell, take, className, modelLabel }: CellControlProps) {
  const others = cell.otherTakes;
  const form = useRef<HTMLFormElement>(null);
  // The clicked button goes (its take is shown now) and the others are disabled meanwhile: once the
  // switch is over, the keyboard goes to the first one (the picture just replaced: back again).
  const refocus = useRef(false);
  const lead = others[0]?.id;
  useEffect(() => {
    if (!refocus.current || take.busy) return;
    refocus.current = false;
    form.current?.querySelector<HTMLButtonElement>("button")?.focus();
  }, [lead, take.busy]);
  if (cell.status !== "succeeded" || others.length === 0) return null;
  const one = others.length === 1;
  return (
    <form
      ref={form}
      method="post"
      action={`/api/batches/${take.batchId}/alternate`}
      className={`flex flex-wrap items-center gap-2 ${className ?? ""}`}
      data-testid="other-take"
    >
      <input type="hidden" name="promptIndex" value={cell.promptIndex} />
      <input type="hidden" name="model" value={cell.model} />
      <input type="hidden" name="page" value={take.page} />
      {one ? null : <span className="text-zinc-400">Other takes</span>}
      {others.map((other, i) => (
        <button
          key={other.id}
          type="submit"
          name="other"
          value={other.id}
          disabled={take.busy}
          onClick={(e) => {
            e.preventDefault();
            refocus.current = true;
            take.onSwitch(cell, other.id);
          }}
          className="flex items-center gap-2 rounded border border-zinc-700 px-1 py-0.5 text-zinc-300 hover:border-zinc-500 hover:text-zinc-100 disabled:opacity-50"
          title="Show this take instead; the picture shown now is kept among the other takes"
          aria-label={`Use other take${one ? "" : ` ${i + 1} of ${others.length}`}: “${cell.prompt}”, ${modelLabel ?? cell.model}`}
        >
          <Image src={other.url} alt="" width={48} height={27} className="h-6 w-auto rounded object-cover" />
          {one ? <span className="pr-1">Use other take</span> : null}
        </button>
      ))}
    </form>
  );
}

/**
 * The marks and the bar that sends them. `control` is undefined unless new takes can be asked for
 * (owner, studio access); marks count only while it is. Marks outlive a move to another page of
 * the grid (kept for the browser tab, lib/batches/take-marks); against `cells` (every cell of the
 * batch, kept live) a mark counts only while its cell has the finished image it was marked on.
 */
export function useTakes(
  batchId: string,
  page: number,
  prices: Record<string, number> | undefined,
  enabled: boolean,
  cells: { all: readonly CellSummary[]; shown: readonly { id: string }[] },
  onChange: (batch: BatchDto) => void,
): { control: TakeControl | undefined; bar: ReactNode } {
  const marking = useHydrated();
  // Kept for the tab, so marks made on another page of the grid are here too (the server knows none).
  const key = marksKey(batchId);
  const saved = useSyncExternalStore(subscribeMarks, () => marksSnapshot(tabStorage(), key), noMarks);
  const setMarked = useCallback(
    (next: ReadonlyMap<string, Mark> | ((current: ReadonlyMap<string, Mark>) => ReadonlyMap<string, Mark>)) =>
      setMarks(tabStorage(), key, typeof next === "function" ? next(marksSnapshot(tabStorage(), key)) : next),
    [key],
  );
  const [busy, setBusy] = useState(false);
  // `sent`: the takes asked for. The bar's button goes with the marks then, so the message takes the
  // focus, which would otherwise drop to the page's body; it goes once they have all ended.
  // `cells`: the cells a refusal or error is about (a refused switch), where the keyboard goes after it.
  const [message, setMessage] = useState<Message | null>(null);
  const messageRef = useRef<HTMLParagraphElement>(null);
  useEffect(() => {
    if (message?.sent) messageRef.current?.focus();
  }, [message]);
  const { all, shown } = cells;
  // Marks count only while takes can be asked for, and only of cells that can still have one.
  const marked = useMemo(
    () => liveMarks(enabled ? saved : new Map(), all, prices),
    [enabled, saved, all, prices],
  );
  const onToggle = useCallback(
    (cell: CellDto) => {
      setMessage(null);
      setMarked((current) => {
        const next = new Map(current);
        if (next.has(cell.id)) next.delete(cell.id);
        else
          next.set(cell.id, {
            id: cell.id,
            promptIndex: cell.promptIndex,
            model: cell.model,
            attempts: cell.attempts,
          });
        return next;
      });
    },
    [setMarked],
  );
  /** Posts `cells` to the batch's `action`; the batch it answered with when it was done, else null. */
  const post = useCallback(
    async (
      action: "takes" | "alternate",
      cells: (Pick<Mark, "id" | "promptIndex" | "model"> & { attempts?: number; other?: string })[],
    ) => {
      setBusy(true);
      setMessage(null);
      try {
        const res = await fetch(`/api/batches/${batchId}/${action}`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({
            // A take names the calls its mark saw, so a copy of this tab cannot pay for it twice.
            cells: cells.map((c) =>
              action === "takes"
                ? { promptIndex: c.promptIndex, model: c.model, attempts: c.attempts }
                : { promptIndex: c.promptIndex, model: c.model, other: c.other },
            ),
          }),
        });
        const body = (await res.json()) as { error?: string; batch?: BatchDto };
        if (!res.ok) {
          setMessage({ text: body.error ?? `Request failed (${res.status})`, cells: cells.map((c) => c.id) });
          return null;
        }
        if (body.batch) onChange(body.batch);
        return { batch: body.batch };
      } catch (err) {
        setMessage({ text: (err as Error).message, cells: cells.map((c) => c.id) });
        return null;
      } finally {
        setBusy(false);
      }
    },
    [batchId, onChange],
  );
  const send = async () => {
    const cells = [...marked.values()];
    const done = await post("takes", cells);
    if (!done) return;
    setMarked(new Map());
    setMessage({
      text: `Asked for ${plural(cells.length, "new take")}: each picture stays until its new one is ready.`,
      sent: sentTakes(
        cells.map((c) => c.id),
        done.batch?.cells ?? [],
      ),
    });
  };
  const onSwitch = useCallback(
    (cell: CellDto, other: string) => void post("alternate", [{ ...cell, other }]),
    [post],
  );
  const markedIds = useMemo(() => new Set(marked.keys()), [marked]);
  const sendRef = useRef<HTMLButtonElement>(null);
  const toBar = useCallback(() => sendRef.current?.focus(), []);
  const sticky = useStickyBottom<HTMLDivElement>();
  const barEl = useRef<HTMLDivElement | null>(null);
  const barRef = useCallback(
    (el: HTMLDivElement | null) => {
      barEl.current = el;
      sticky(el);
    },
    [sticky],
  );
  /**
   * Puts the message away. The keyboard, when in the bar (which may go with it), goes to the card of
   * the first take asked for that is on this page: to its picture or a button, or, while the take is
   * made and the card has neither, to the card itself; with none on this page, to the grid. Without
   * takes asked for, to the button that sends the marks left, if any; else (a refused switch, with no
   * marks left) to the card the message was about: its other takes, else its picture, else the card
   * itself; else to the grid. Never to the page's body.
   */
  const putAway = useCallback((shown: Message | null) => {
    if (barEl.current?.contains(document.activeElement)) {
      const sent = shown?.sent;
      if (!sent && sendRef.current) sendRef.current.focus();
      else {
        const ids = sent ? [...sent.keys()] : (shown?.cells ?? []);
        const card = ids
          .map((id) => document.querySelector<HTMLElement>(`[data-cell-id="${CSS.escape(id)}"]`))
          .find((el) => el !== null);
        const inCard = (selector: string) => card?.querySelector<HTMLElement>(selector);
        const target = card
          ? ((sent ? null : inCard('[data-testid="other-take"] button:not([disabled])')) ??
            inCard("a[href], button:not([disabled])") ??
            card)
          : document.querySelector<HTMLElement>("[data-take-grid]");
        target?.focus();
      }
    }
    setMessage(null);
  }, []);
  // Said until every take asked for has ended (made, or failed and back on its picture, saying why),
  // or until dismissed: the bar covers the bottom of the grid.
  const ended = !!message?.sent && takesEnded(message.sent, all);
  useEffect(() => {
    if (!ended) return;
    const timer = setTimeout(() => putAway(message), 0);
    return () => clearTimeout(timer);
  }, [ended, message, putAway]);
  const control = useMemo(
    () =>
      enabled && prices
        ? { batchId, page, prices, busy, marked: markedIds, marking, onToggle, onSwitch, toBar }
        : undefined,
    [enabled, prices, batchId, page, busy, markedIds, marking, onToggle, onSwitch, toBar],
  );
  const total = [...marked.values()].reduce((sum, c) => sum + (prices?.[c.model] ?? 0), 0);
  const elsewhere = marked.size - shown.filter((c) => marked.has(c.id)).length;
  const bar =
    marked.size > 0 || message ? (
      <div
        ref={barRef}
        data-sticky-bottom
        role="region"
        aria-label="New takes"
        className="sticky bottom-3 z-10 flex flex-wrap items-center gap-3 rounded-lg border border-sky-900 bg-zinc-950/95 p-3 text-sm shadow-lg"
      >
        {marked.size > 0 ? (
          <>
            <span className="text-zinc-200" data-testid="takes-summary">
              New takes of {plural(marked.size, "image")}
              {elsewhere > 0 ? ` (${elsewhere} on other pages)` : ""} ·{" "}
              {total === 0 ? "free" : `about ${formatUsd(total)}`}
            </span>
            <span className="text-xs text-zinc-400">each keeps its picture until the new one is ready</span>
            <span className="ml-auto flex gap-2">
              <button
                type="button"
                className="btn-secondary"
                disabled={busy}
                onClick={() => setMarked(new Map())}
              >
                Clear
              </button>
              <button
                ref={sendRef}
                type="button"
                className="btn-primary"
                disabled={busy}
                onClick={() => void send()}
              >
                Make new takes
              </button>
            </span>
          </>
        ) : null}
        {message ? (
          <div className="flex w-full items-start gap-3">
            {message.sent ? (
              <p
                ref={messageRef}
                role="status"
                tabIndex={-1}
                className="flex-1 rounded text-zinc-200 focus:outline-none focus-visible:ring-2 focus-visible:ring-sky-400"
                data-testid="takes-sent"
              >
                {message.text}
              </p>
            ) : (
              <p role="alert" className="flex-1 text-red-300">
                {message.text}
              </p>
            )}
            <button
              type="button"
              onClick={() => putAway(message)}
              aria-label="Dismiss this message"
              className="rounded border border-zinc-700 px-2 py-0.5 text-zinc-300 hover:border-zinc-500 hover:text-zinc-100"
            >
              Dismiss
            </button>
          </div>
        ) : null}
      </div>
    ) : null;
  return { control, bar };
}
