"use client";

import { useEffect } from "react";
import { clearSentDraft } from "@/lib/studio/draft";

/**
 * Rendered on the batch page for its creator: the studio's submit that led here made this batch, so the
 * draft it was made from is no longer unsent (lib/studio/draft.ts). Renders nothing.
 */
export function ClearSentDraft() {
  useEffect(() => {
    clearSentDraft(sessionStorage, localStorage);
  }, []);
  return null;
}
