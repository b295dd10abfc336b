import { paintRows } from "../raster";
import { layoutText } from "../text/layout";
import { ACCENT, NIGHT, WHITE, pad, paintForContrast } from "./shared";
import type { TemplateRenderer } from "./types";

/** A dark bar hugging a centred one- or two-line title, with an accent rule on its top edge. */
export const bottomBar: TemplateRenderer = ({ canvas, title, font }) => {
  const { width: W, height: H } = canvas;
  const padX = Math.round(W * 0.06);
  const padY = Math.round(H * 0.055);
  const maxBar = Math.round(H * 0.38);
  const textBox = { x: padX, y: H - maxBar + padY, width: W - 2 * padX, height: maxBar - 2 * padY };
  const layout = layoutText(title, font, {
    box: textBox,
    maxLines: 2,
    maxSize: Math.round(H * 0.105),
    minSize: Math.round(H * 0.05),
    lineHeight: 1.14,
    align: "center",
    valign: "bottom",
  });
  const barTop = Math.max(0, Math.floor(layout.block.y - padY));
  const bar = { x: 0, y: barTop, width: W, height: H - barTop };
  const rule = Math.max(3, Math.round(H * 0.009));
  return {
    textBox,
    layout,
    paint(img) {
      const result = paintForContrast(img, pad(layout.ink, 4), WHITE, NIGHT, 0.86, bar);
      paintRows(img, { x: 0, y: barTop, width: W, height: rule }, ACCENT, () => 1);
      return { ...result, text: { color: WHITE } };
    },
  };
};
