import type { LayoutOptions } from "@/lib/compose/text/layout";

/**
 * Layout options for tests: a `width` × `height` box at the origin, up to `maxLines` lines at `size` px
 * (shrinking to `minSize` when given), line height 1.1, aligned to the start.
 */
export function boxOptions(
  width: number,
  height: number,
  maxLines: number,
  size: number,
  minSize = size,
): LayoutOptions {
  return {
    box: { x: 0, y: 0, width, height },
    maxLines,
    maxSize: size,
    minSize,
    lineHeight: 1.1,
    align: "start",
  };
}
