import { fillRect } from "../raster";
import { layoutText } from "../text/layout";
import { ACCENT, NIGHT, WHITE, pad, paintForContrast } from "./shared";
import type { TemplateRenderer } from "./types";

/** A dark panel over the left half with a large left-aligned title and a short accent bar. */
export const leftPanel: TemplateRenderer = ({ canvas, title, font }) => {
  const { width: W, height: H } = canvas;
  const panelW = Math.round(W * (W / H > 1.3 ? 0.5 : 0.62));
  const padX = Math.round(W * 0.055);
  const textBox = { x: padX, y: Math.round(H * 0.17), width: panelW - 2 * padX, height: Math.round(H * 0.7) };
  const layout = layoutText(title, font, {
    box: textBox,
    maxLines: 5,
    maxSize: Math.round(H * 0.13),
    minSize: Math.round(H * 0.05),
    lineHeight: 1.1,
    align: "start",
  });
  const panel = { x: 0, y: 0, width: panelW, height: H };
  const barH = Math.max(4, Math.round(H * 0.012));
  const barW = Math.round(panelW * 0.16);
  const barY = Math.round(layout.block.y - H * 0.055 - barH);
  const barX = layout.direction === "rtl" ? textBox.x + textBox.width - barW : textBox.x;
  return {
    textBox,
    layout,
    paint(img) {
      const result = paintForContrast(img, pad(layout.ink, 4), WHITE, NIGHT, 0.9, panel);
      fillRect(img, { x: barX, y: Math.max(0, barY), width: barW, height: barH }, ACCENT, 1);
      return { ...result, text: { color: WHITE } };
    },
  };
};
