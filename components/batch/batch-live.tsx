"use client";

import { useEffect, useMemo, useState } from "react";
import { countCells, type BatchDto, type CellDto } from "@/lib/batches/dto";
import type { LiveMessage } from "@/lib/batches/live";
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

/** The batch page's live part: server-rendered first, then patched by the event stream. */
export function BatchLive(props: BatchLiveProps) {
  const { initial, lastEventId, canManage, aspect, restyle, modelLabels } = props;
  const [batch, setBatch] = useState(initial);
  const [connected, setConnected] = useState(false);
  const finished = TERMINAL.has(batch.status) && batch.counts.done === batch.counts.total;

  useEffect(() => {
    if (finished) return;
    const source = new EventSource(`/api/batches/${initial.id}/events?after=${lastEventId}`);
    source.onopen = () => setConnected(true);
    source.onerror = () => setConnected(false);
    source.onmessage = (e: MessageEvent<string>) => {
      const msg = JSON.parse(e.data) as LiveMessage;
      if (msg.kind === "end") {
        source.close();
        setConnected(false);
        return;
      }
      setBatch((b) => applyMessage(b, msg));
    };
    return () => source.close();
  }, [initial.id, lastEventId, finished]);

  const [openId, setOpenId] = useState<string | null>(null);
  const onChange = (next: BatchDto) => setBatch(next);
  const counts = useMemo(() => countCells(batch.cells), [batch.cells]);
  return (
    <div className="space-y-6">
      <BatchHeader batch={{ ...batch, counts }} canManage={canManage} live={connected} onChange={onChange} />
      {canManage && restyle && finished && batch.cells.some((c) => c.reusable) ? (
        <RestylePanel batch={batch} options={restyle} />
      ) : null}
      <BatchGrid
        batch={batch}
        aspect={aspect}
        modelLabels={modelLabels}
        onOpen={(cell) => setOpenId(cell.id)}
      />
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

function applyMessage(batch: BatchDto, msg: Exclude<LiveMessage, { kind: "end" }>): BatchDto {
  if (msg.kind === "batch") return { ...batch, ...msg.batch };
  if (msg.kind === "cell-deleted") return { ...batch, cells: batch.cells.filter((c) => c.id !== msg.cellId) };
  const cells: CellDto[] = batch.cells.map((c) => (c.id === msg.cell.id ? msg.cell : c));
  return { ...batch, cells, counts: countCells(cells) };
}
