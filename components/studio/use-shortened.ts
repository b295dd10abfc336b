"use client";

import { useEffect, useState } from "react";
import { MAX_FIT_TITLES } from "@/lib/studio/fit-limit";
import { useDebounced } from "@/lib/studio/use-debounced";

/**
 * The rows whose title the template would end with "…" (POST /api/fit), checked a moment after the
 * titles, template, font or canvas last changed; a row edited since is left out until checked again.
 */
export function useShortenedTitles(
  prompts: readonly string[],
  template: string,
  font: string,
  canvas: string,
) {
  const request = useDebounced(
    JSON.stringify({ titles: prompts.slice(0, MAX_FIT_TITLES), template, font, canvas }),
    500,
  );
  const [checked, setChecked] = useState<{ titles: string[]; shortened: number[] } | null>(null);
  useEffect(() => {
    const abort = new AbortController();
    fetch("/api/fit", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: request,
      signal: abort.signal,
    })
      .then((res) => (res.ok ? (res.json() as Promise<{ shortened: number[] }>) : null))
      .then((body) => {
        if (body)
          setChecked({
            titles: (JSON.parse(request) as { titles: string[] }).titles,
            shortened: body.shortened,
          });
      })
      // Advice only: without an answer the form works as before.
      .catch(() => {});
    return () => abort.abort();
  }, [request]);
  return new Set((checked?.shortened ?? []).filter((i) => checked?.titles[i] === prompts[i]));
}
