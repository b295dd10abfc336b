import type { BatchDto, CellDto } from "@/lib/batches/dto";
import { CellCard } from "./cell-card";

export interface BatchGridProps {
  batch: Pick<BatchDto, "prompts" | "models" | "cells">;
  aspect: number;
  onOpen?: (cell: CellDto) => void;
}

/** Rows are prompts, columns are models. Each box keeps the canvas aspect, so nothing shifts on arrival. */
export function BatchGrid({ batch, aspect, onOpen }: BatchGridProps) {
  const byKey = new Map(batch.cells.map((c) => [`${c.promptIndex}|${c.model}`, c]));
  const cols = `minmax(9rem, 14rem) repeat(${batch.models.length}, minmax(14rem, 24rem))`;
  return (
    <div className="overflow-x-auto" role="table" aria-label="Thumbnails: prompts by models">
      <div className="grid min-w-fit gap-3" style={{ gridTemplateColumns: cols }}>
        <div role="row" className="contents">
          <div role="columnheader" className="text-xs font-medium uppercase tracking-wide text-zinc-400">
            Title
          </div>
          {batch.models.map((m) => (
            <div
              key={m}
              role="columnheader"
              className="text-xs font-medium uppercase tracking-wide text-zinc-400"
            >
              {m}
            </div>
          ))}
        </div>
        {batch.prompts.map((prompt, i) => (
          <div role="row" className="contents" key={i}>
            <div role="rowheader" className="self-center text-sm text-zinc-200">
              <span className="mr-1 text-zinc-400">{i + 1}.</span>
              {prompt}
            </div>
            {batch.models.map((m) => {
              const cell = byKey.get(`${i}|${m}`);
              return (
                <div role="cell" key={m}>
                  {cell ? <CellCard cell={cell} aspect={aspect} onOpen={onOpen} /> : null}
                </div>
              );
            })}
          </div>
        ))}
      </div>
    </div>
  );
}
