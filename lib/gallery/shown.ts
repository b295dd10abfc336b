/** The line above the gallery's grid: how many images are shown, of how many the filters match. */
import type { ImageCount } from "@/lib/db";

const counted = new Intl.NumberFormat("en-US");

/**
 * "24 of 1,204 images shown", or "24 of 10,000+ images shown" past the count's cap; "6 images shown"
 * once every match is shown, and without a count (a page opened at an older page's link).
 */
export function shownText(shown: number, total: ImageCount | null | undefined): string {
  const all = total ? (total.capped ? total.count : Math.max(total.count, shown)) : shown;
  const of =
    total && (total.capped || all > shown) ? ` of ${counted.format(all)}${total.capped ? "+" : ""}` : "";
  return `${counted.format(shown)}${of} ${all === 1 && !total?.capped ? "image" : "images"} shown`;
}
