/**
 * Names one of a cell's other takes steadily: its thumbnail's file name, unique within the cell (final
 * keys carry the take number) and already part of its URL. Switching by name instead of by position
 * cannot pick another picture when the list moved on since the page was drawn. Pure: the browser
 * computes it too, for live updates.
 */
export function otherTakeId(image: { finalKey: string }): string {
  return image.finalKey.slice(image.finalKey.lastIndexOf("/") + 1);
}

/** What otherTakeId can return for keys made here (lib/storage/keys.ts), for request validation. */
export const OTHER_TAKE_ID = /^[A-Za-z0-9._-]{1,200}$/;
