"use client";

import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import type { BatchDto, CellDto } from "@/lib/batches/dto";
import type { LiveMessage, UpdateMessage } from "@/lib/batches/live";
import {
  applyPaged,
  batchPageHref,
  endPaged,
  fromWire,
  pagesWith,
  toPaged,
  viewOf,
  type OpenAt,
  type PagedWire,
} from "@/lib/batches/paging";
import { CellLightbox, cellLightboxItems } from "@/components/lightbox";
import { downloadUrlFor } from "@/lib/export/urls";
import { BatchGrid } from "./batch-grid";
import { BatchHeader } from "./batch-header";
import { BatchPager } from "./batch-pager";
import { ProgressAnnouncer } from "./progress-announcer";
import { RestylePanel, type RestyleOptions } from "./restyle-panel";
import { useTakes } from "./take-form";

export interface BatchLiveProps {
  /** The batch as read, split for the page shown (lib/batches/paging). */
  initial: PagedWire;
  /** Highest change id included in `initial`: the stream resumes right after it. */
  lastEventId: number;
  canManage: boolean;
  aspect: number;
  /** What a restyle may choose from; given to the owner only. */
  restyle?: RestyleOptions;
  modelLabels?: Record<string, string>;
  /** The batch's style, template, font and canvas by the catalog's labels (lib/catalog/labels). */
  look?: string;
  /** List price of a new take per model; given to the owner only (with studio access). */
  takePrices?: Record<string, number>;
  /** Open the lightbox at this page's first or last image (stepping past the previous page's end). */
  openAt?: OpenAt;
  /** Queued too long when the server rendered it: the engine has not picked it up (BatchHeader). */
  stalledAtLoad?: boolean;
}

const TERMINAL = new Set(["succeeded", "partial", "failed", "cancelled"]);

/**
 * Stream messages are applied together at most this often: a big batch sends several per cell, and
 * one render per message re-rendered the grid thousands of times (a 1,000-cell batch kept the page
 * busy for ~45 % of the run in tasks up to 450 ms).
 */
const FLUSH_MS = 100;

/** The batch page's live part: server-rendered first, then patched by the event stream. */
export function BatchLive(props: BatchLiveProps) {
  const { initial, lastEventId, canManage, aspect, restyle, modelLabels, look, takePrices, openAt } = props;
  const [paged, setPaged] = useState(() => fromWire(initial));
  const [connected, setConnected] = useState(false);
  const batch = useMemo(() => viewOf(paged), [paged]);
  const { head, page, shown } = paged;
  const finished = TERMINAL.has(batch.status) && batch.counts.done === batch.counts.total;
  // Pictures and costs of calls out at a cancel still land: listen until the stream ends, and again
  // after a control (retry, resume, a new take) set the batch going.
  const settled = finished && batch.callsOut === 0;
  // Each control (cancel, retry, resume, a new take) opens a fresh stream: an "end" the stream before
  // it sent is for the batch as it was then.
  const [epoch, setEpoch] = useState(0);
  const [endedAt, setEndedAt] = useState<number | null>(null);
  const listen = !settled && endedAt !== epoch;
  const lastSeen = useRef(lastEventId);
  const id = head.id;

  useEffect(() => {
    if (!listen) return;
    const source = new EventSource(`/api/batches/${id}/events?after=${lastSeen.current}`);
    let queue: UpdateMessage[] = [];
    let timer: ReturnType<typeof setTimeout> | null = null;
    const flush = () => {
      timer = null;
      const msgs = queue;
      queue = [];
      if (msgs.length > 0) setPaged((p) => applyPaged(p, msgs));
    };
    source.onopen = () => setConnected(true);
    source.onerror = () => setConnected(false);
    source.onmessage = (e: MessageEvent<string>) => {
      if (e.lastEventId) lastSeen.current = Number(e.lastEventId);
      const msg = JSON.parse(e.data) as LiveMessage;
      if (msg.kind === "end") {
        source.close();
        setConnected(false);
        setEndedAt(epoch);
        if (timer !== null) clearTimeout(timer);
        flush();
        setPaged(endPaged);
        return;
      }
      queue.push(msg);
      timer ??= setTimeout(flush, FLUSH_MS);
    };
    return () => {
      source.close();
      if (timer !== null) clearTimeout(timer);
      // Messages received but not applied yet: the next stream starts after them.
      flush();
    };
  }, [id, listen, epoch]);

  const [openId, setOpenId] = useState<string | null>(() => {
    const items = openAt ? cellLightboxItems(fromWire(initial).shown, initial.head.models) : [];
    return (openAt === "last" ? items.at(-1) : items[0])?.id ?? null;
  });
  // Opened on arrival: the address goes back to the plain page, so a reload does not open it again.
  useEffect(() => {
    if (openAt) window.history.replaceState(null, "", batchPageHref(id, page.page));
  }, [openAt, id, page.page]);
  // The lightbox steps on to the nearest page with images before or after this one.
  const imagePages = useMemo(() => pagesWith(paged.all, "succeeded", page.size), [paged.all, page.size]);
  const beyond = useMemo(() => {
    const before = imagePages.filter((p) => p < page.page).at(-1);
    const after = imagePages.find((p) => p > page.page);
    const go = (p: number, at: OpenAt) => () => window.location.assign(batchPageHref(id, p, at));
    return {
      prev: before === undefined ? undefined : go(before, "last"),
      next: after === undefined ? undefined : go(after, "first"),
    };
  }, [imagePages, page.page, id]);
  // Cancel and retry answer with the whole batch: split again for the page shown.
  const onChange = useCallback((next: BatchDto) => {
    setPaged((p) => toPaged(next, p.page));
    setEpoch((n) => n + 1);
  }, []);
  const onOpen = useCallback((cell: CellDto) => setOpenId(cell.id), []);
  // New takes are asked for while the batch still runs too: its run makes them next.
  const takeCells = useMemo(() => ({ all: paged.all, shown }), [paged.all, shown]);
  const { control: take, bar: takeBar } = useTakes(id, page.page, takePrices, canManage, takeCells, onChange);
  const failedPages = useMemo(() => pagesWith(paged.all, "failed", page.size), [paged.all, page.size]);
  const pager = page.pages > 1 ? <BatchPager batchId={id} page={page} failedPages={failedPages} /> : null;
  return (
    <div className="space-y-6">
      <BatchHeader
        batch={batch}
        page={page.page}
        canManage={canManage}
        live={connected}
        onChange={onChange}
        modelLabels={modelLabels}
        look={look}
        stalledAtLoad={props.stalledAtLoad}
      />
      <ProgressAnnouncer counts={batch.counts} finished={finished} />
      {canManage && restyle && finished && batch.cells.some((c) => c.reusable) ? (
        <RestylePanel batch={batch} options={restyle} />
      ) : null}
      {pager}
      <BatchGrid
        prompts={head.prompts}
        models={head.models}
        cells={shown}
        rows={page}
        aspect={aspect}
        modelLabels={modelLabels}
        onOpen={onOpen}
        take={take}
      />
      {pager}
      {takeBar}
      <CellLightbox
        cells={shown}
        models={head.models}
        openId={openId}
        onOpenIdChange={setOpenId}
        downloadHref={downloadUrlFor}
        take={take}
        beyond={beyond}
        countScope={page.pages > 1 ? `on page ${page.page}` : undefined}
        modelLabels={modelLabels}
      />
    </div>
  );
}
