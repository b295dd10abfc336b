"use client";

import { useCallback, useEffect, useMemo, useState } from "react";
import { countCells, type BatchDto, type CellDto } from "@/lib/batches/dto";
import { applyMessages, type LiveMessage, type UpdateMessage } from "@/lib/batches/live";
import { CellLightbox } from "@/components/lightbox";
import { downloadUrlFor } from "@/lib/export/urls";
import { BatchGrid } from "./batch-grid";
import { BatchHeader } from "./batch-header";
import { RestylePanel, type RestyleOptions } from "./restyle-panel";

export interface BatchLiveProps {
  initial: BatchDto;
  /** Highest change id included in `initial`: the stream resumes right after it. */
  lastEventId: number;
  canManage: boolean;
  aspect: number;
  /** What a restyle may choose from; given to the owner only. */
  restyle?: RestyleOptions;
  modelLabels?: Record<string, string>;
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
  const { initial, lastEventId, canManage, aspect, restyle, modelLabels } = props;
  const [batch, setBatch] = useState(initial);
  const [connected, setConnected] = useState(false);
  const finished = TERMINAL.has(batch.status) && batch.counts.done === batch.counts.total;

  useEffect(() => {
    if (finished) return;
    const source = new EventSource(`/api/batches/${initial.id}/events?after=${lastEventId}`);
    let queue: UpdateMessage[] = [];
    let timer: ReturnType<typeof setTimeout> | null = null;
    const flush = () => {
      timer = null;
      const msgs = queue;
      queue = [];
      if (msgs.length > 0) setBatch((b) => applyMessages(b, msgs));
    };
    source.onopen = () => setConnected(true);
    source.onerror = () => setConnected(false);
    source.onmessage = (e: MessageEvent<string>) => {
      const msg = JSON.parse(e.data) as LiveMessage;
      if (msg.kind === "end") {
        source.close();
        setConnected(false);
        if (timer !== null) clearTimeout(timer);
        flush();
        return;
      }
      queue.push(msg);
      timer ??= setTimeout(flush, FLUSH_MS);
    };
    return () => {
      source.close();
      if (timer !== null) clearTimeout(timer);
    };
  }, [initial.id, lastEventId, finished]);

  const [openId, setOpenId] = useState<string | null>(null);
  const onChange = useCallback((next: BatchDto) => setBatch(next), []);
  const onOpen = useCallback((cell: CellDto) => setOpenId(cell.id), []);
  const counts = useMemo(() => countCells(batch.cells), [batch.cells]);
  return (
    <div className="space-y-6">
      <BatchHeader batch={{ ...batch, counts }} canManage={canManage} live={connected} onChange={onChange} />
      {canManage && restyle && finished && batch.cells.some((c) => c.reusable) ? (
        <RestylePanel batch={batch} options={restyle} />
      ) : null}
      <BatchGrid batch={batch} aspect={aspect} modelLabels={modelLabels} onOpen={onOpen} />
      <CellLightbox
        cells={batch.cells}
        models={batch.models}
        openId={openId}
        onOpenIdChange={setOpenId}
        downloadHref={downloadUrlFor}
      />
    </div>
  );
}
