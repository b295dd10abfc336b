/**
 * The lightbox's count after "3 / ": kept apart from the dialog so each wording can be tested without a
 * browser (the gallery's capped count needs more than 10,000 images to reach end to end).
 */

const counted = new Intl.NumberFormat("en-US");

export interface PositionCountInput {
  /** How many items the lightbox holds. */
  loaded: number;
  /** What the count covers when the items are part of a larger set, e.g. "on page 2". */
  countScope?: string;
  /** More items follow past the last one (the lightbox can step on and load them). */
  more: boolean;
  /** How many the whole set has, when known; `capped`: counted up to a cap, so at least that. */
  total?: { count: number; capped: boolean };
}

/** Text, or `{ loaded }` for "24+" (24 loaded, more follow, no count), which the dialog marks up. */
export type PositionCount = { text: string } | { loaded: number };

export function positionCount({ loaded, countScope, more, total }: PositionCountInput): PositionCount {
  if (countScope) return { text: `${loaded} ${countScope}` };
  if (!more) return { text: String(loaded) };
  if (total && !total.capped) return { text: counted.format(Math.max(total.count, loaded)) };
  if (total) return { text: `${loaded} loaded of ${counted.format(total.count)}+` };
  return { loaded };
}
