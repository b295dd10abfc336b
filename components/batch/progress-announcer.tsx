"use client";

import { useEffect, useRef, useState } from "react";
import { nextAnnouncement, startAnnouncing, type AnnounceInput } from "@/lib/batches/announce";

/**
 * A polite live region telling screen readers how the batch gets on (lib/batches/announce.ts). It is
 * on the page from the first render, empty, so that what is put in it later is read out.
 */
export function ProgressAnnouncer({ counts, finished }: AnnounceInput) {
  const { total, done, succeeded, failed, cancelled } = counts;
  const state = useRef<ReturnType<typeof startAnnouncing> | null>(null);
  const [message, setMessage] = useState("");
  useEffect(() => {
    const input = { counts: { total, done, succeeded, failed, cancelled }, finished };
    if (!state.current) {
      state.current = startAnnouncing(input);
      return;
    }
    const next = nextAnnouncement(state.current, input, Date.now());
    state.current = next.state;
    if (next.message) setMessage(next.message);
  }, [total, done, succeeded, failed, cancelled, finished]);
  return (
    <p role="status" className="sr-only" data-testid="batch-announcer">
      {message}
    </p>
  );
}
