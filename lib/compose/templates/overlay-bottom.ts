import { layoutText } from "../text/layout";
import { pad, paintAdaptive, shiftLayout, smoothstep } from "./shared";
import type { TemplateRenderer } from "./types";

/**
 * Title set straight on the photo at the bottom left (bottom right for right-to-left titles). A
 * gradient scrim rises behind it; its strength is solved from the brightest pixels under the text
 * so contrast reaches 4.5:1.
 */
export const overlayBottom: TemplateRenderer = ({ canvas, title, font }) => {
  const { width: W, height: H } = canvas;
  const u = Math.min(W, H);
  const padX = Math.round(W * 0.06);
  const startBox = {
    x: padX,
    y: Math.round(H * 0.4),
    width: Math.round(W * 0.82),
    height: Math.round(H * 0.5),
  };
  const laid = layoutText(title, font, {
    box: startBox,
    maxLines: 3,
    maxSize: Math.round(u * 0.12),
    minSize: Math.round(u * 0.05),
    lineHeight: 1.1,
    align: "start",
    valign: "bottom",
  });
  // The box hugs the side the title starts from: a right-to-left title gets it mirrored, so its
  // margin to the right edge is the one a left-to-right title has to the left.
  const mirror = laid.direction === "rtl" ? W - padX - startBox.width - startBox.x : 0;
  const textBox = { ...startBox, x: startBox.x + mirror };
  const layout = shiftLayout(laid, mirror);
  const under = pad(layout.ink, u * 0.02);
  const solidFrom = under.y;
  const fadeFrom = Math.max(0, solidFrom - H * 0.24);
  return {
    textBox,
    layout,
    shadow: { blur: Math.max(2, u * 0.008), dy: u * 0.004 },
    paint(img) {
      const scrim = { x: 0, y: fadeFrom, width: W, height: H - fadeFrom };
      return paintAdaptive(img, under, 0.35, scrim, (y) =>
        y >= solidFrom ? 1 : smoothstep(fadeFrom, solidFrom, y),
      );
    },
  };
};
