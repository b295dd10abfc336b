/**
 * What the batch page says to screen readers while a batch runs (a polite live region). Every cell's
 * end would be a flood, so progress is told at each quarter of the batch, at most every
 * ANNOUNCE_GAP_MS, and the end always (its succeeded and failed counts). Someone who opens a batch
 * that has already ended hears nothing: the page says it.
 */
import type { BatchCounts } from "./dto";

export const ANNOUNCE_GAP_MS = 15_000;

/** Progress is told when the done count reaches a new one of these parts of the batch. */
const PARTS = 4;

export interface AnnounceInput {
  counts: Pick<BatchCounts, "total" | "done" | "succeeded" | "failed" | "cancelled">;
  /** Every cell has ended (the page's own `finished`). */
  finished: boolean;
}

export interface AnnounceState {
  finished: boolean;
  /** The last part of the batch told (or passed before the page opened). */
  part: number;
  lastAt: number;
}

const partOf = ({ done, total }: AnnounceInput["counts"]) =>
  total === 0 ? 0 : Math.floor((done / total) * PARTS);

/** The state for the batch as the page first shows it: nothing it already shows is told again. */
export function startAnnouncing(input: AnnounceInput): AnnounceState {
  return { finished: input.finished, part: partOf(input.counts), lastAt: -Infinity };
}

function endText({ succeeded, failed, cancelled }: AnnounceInput["counts"]): string {
  const parts = [`${succeeded} succeeded`, `${failed} failed`];
  if (cancelled > 0) parts.push(`${cancelled} cancelled`);
  return `Batch finished: ${parts.join(", ")}.`;
}

/** The message for a change of the batch (null: say nothing now) and the state after it. */
export function nextAnnouncement(
  state: AnnounceState,
  input: AnnounceInput,
  now: number,
): { message: string | null; state: AnnounceState } {
  const part = partOf(input.counts);
  if (input.finished) {
    if (state.finished) return { message: null, state };
    return { message: endText(input.counts), state: { finished: true, part, lastAt: now } };
  }
  // Set going again (a retry, a resume, new takes): told from here on, up to its next end.
  if (state.finished) return { message: null, state: { finished: false, part, lastAt: state.lastAt } };
  // All done but not ended yet (calls still out): the end is told instead, in a moment.
  if (part <= state.part || part >= PARTS)
    return { message: null, state: part < state.part ? { ...state, part } : state };
  // A part reached too soon after the last message is passed over, not told late.
  if (now - state.lastAt < ANNOUNCE_GAP_MS) return { message: null, state: { ...state, part } };
  const { done, total, failed } = input.counts;
  const message = `${Math.round((done / total) * 100)}% done: ${done} of ${total} images${failed > 0 ? `, ${failed} failed` : ""}.`;
  return { message, state: { finished: false, part, lastAt: now } };
}
