"use client";

import { useEffect, useState } from "react";
import { MAX_FIT_TITLES } from "@/lib/studio/fit-limit";
import { useDebounced } from "@/lib/studio/use-debounced";

/**
 * The rows whose title the template would end with "…" (POST /api/fit), checked a moment after the
 * titles, template, font or canvas last changed. Answers are kept per title and look, so an edit
 * sends only the titles not checked yet.
 */
export function useShortenedTitles(
  prompts: readonly string[],
  template: string,
  font: string,
  canvas: string,
) {
  const look = `${template}|${font}|${canvas}`;
  const [known, setKnown] = useState<ReadonlyMap<string, boolean>>(new Map());
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
      .then((res) => (res.ok ? (res.json() as Promise<{ shortened: number[] }>) : null))
      .then((body) => {
        if (!body) return;
        const shortened = new Set(body.shortened);
        setKnown((held) => {
          const next = new Map(held);
          unknown.forEach((title, i) => next.set(`${asked}|${title}`, shortened.has(i)));
          return next;
        });
      })
      // Advice only: without an answer the form works as before.
      .catch(() => {});
    return () => abort.abort();
  }, [wanted, known]);
  const rows = new Set<number>();
  prompts.slice(0, MAX_FIT_TITLES).forEach((title, i) => {
    if (known.get(`${look}|${title}`)) rows.add(i);
  });
  return rows;
}
