"use client";

import { useEffect, useState } from "react";
import { MAX_FIT_TITLES } from "@/lib/studio/fit-limit";
import type { TitleFit } from "@/lib/studio/title-notes";
import { useDebounced } from "@/lib/studio/use-debounced";

interface FitAnswer {
  shortened: number[];
  missing: { index: number; glyphs: string[] }[];
}

/**
 * What POST /api/fit says of each row's title (rows it says nothing of are left out), checked a
 * moment after the titles, template, font or canvas last changed. Answers are kept per title and
 * look, so an edit sends only the titles not checked yet.
 */
export function useTitleFit(
  prompts: readonly string[],
  template: string,
  font: string,
  canvas: string,
): ReadonlyMap<number, TitleFit> {
  const look = `${template}|${font}|${canvas}`;
  const [known, setKnown] = useState<ReadonlyMap<string, TitleFit | null>>(new Map());
  const wanted = useDebounced(JSON.stringify({ look, titles: prompts.slice(0, MAX_FIT_TITLES) }), 500);
  useEffect(() => {
    const { look: asked, titles } = JSON.parse(wanted) as { look: string; titles: string[] };
    const unknown = [...new Set(titles.filter((t) => t.trim() && !known.has(`${asked}|${t}`)))];
    if (unknown.length === 0) return;
    const [t, f, c] = asked.split("|");
    const abort = new AbortController();
    fetch("/api/fit", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ titles: unknown, template: t, font: f, canvas: c }),
      signal: abort.signal,
    })
      .then((res) => (res.ok ? (res.json() as Promise<FitAnswer>) : null))
      .then((body) => {
        if (!body) return;
        const shortened = new Set(body.shortened);
        const missing = new Map(body.missing.map((m) => [m.index, m.glyphs]));
        setKnown((held) => {
          const next = new Map(held);
          unknown.forEach((title, i) => {
            const fit = { shortened: shortened.has(i), missing: missing.get(i) ?? [] };
            // Most titles fit and draw whole: nothing to keep but that they were asked about.
            next.set(`${asked}|${title}`, fit.shortened || fit.missing.length > 0 ? fit : null);
          });
          return next;
        });
      })
      // Advice only: without an answer the form works as before.
      .catch(() => {});
    return () => abort.abort();
  }, [wanted, known]);
  const rows = new Map<number, TitleFit>();
  prompts.slice(0, MAX_FIT_TITLES).forEach((title, i) => {
    const fit = known.get(`${look}|${title}`);
    if (fit) rows.set(i, fit);
  });
  return rows;
}
