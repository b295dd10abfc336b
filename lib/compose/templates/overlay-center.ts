import { layoutText } from "../text/layout";
import { pad, paintAdaptive, smoothstep } from "./shared";
import type { TemplateRenderer } from "./types";

/**
 * Large centred title on the photo over a soft-edged scrim that fades into the image; its
 * strength is solved from the brightest pixels under the text so contrast reaches 4.5:1.
 */
export const overlayCenter: TemplateRenderer = ({ canvas, title, font }) => {
  const { width: W, height: H } = canvas;
  const u = Math.min(W, H);
  const textBox = {
    x: Math.round(W * 0.1),
    y: Math.round(H * 0.16),
    width: Math.round(W * 0.8),
    height: Math.round(H * 0.68),
  };
  const layout = layoutText(title, font, {
    box: textBox,
    maxLines: 3,
    maxSize: Math.round(u * 0.15),
    minSize: Math.round(u * 0.055),
    lineHeight: 1.08,
    align: "center",
  });
  const under = pad(layout.ink, u * 0.03);
  const feather = u * 0.14;
  return {
    textBox,
    layout,
    shadow: { blur: Math.max(2, u * 0.01), dy: u * 0.005 },
    paint(img) {
      const scrim = { x: 0, y: under.y - feather, width: W, height: under.height + 2 * feather };
      return paintAdaptive(img, under, 0.3, scrim, (y) =>
        y < under.y
          ? smoothstep(under.y - feather, under.y, y)
          : 1 - smoothstep(under.y + under.height, under.y + under.height + feather, y),
      );
    },
  };
};
