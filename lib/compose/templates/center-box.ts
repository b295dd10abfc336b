import { contrastRatio } from "../color";
import { extremeColors, fillRect, fillRoundedRect, softScrim } from "../raster";
import { layoutText } from "../text/layout";
import { ACCENT, INK, WHITE, pad } from "./shared";
import type { TemplateRenderer } from "./types";

/**
 * A light rounded card centred on the photo, sized to the title, with a soft shadow. At 94 %
 * white the card keeps dark text far above 4.5:1 over any photo (the painter measures and
 * reports the figure).
 */
export const centerBox: TemplateRenderer = ({ canvas, title, font }) => {
  const { width: W, height: H } = canvas;
  const u = Math.min(W, H);
  const padX = Math.round(u * 0.07);
  const padY = Math.round(u * 0.065);
  const maxCard = Math.round(W * (W / H > 1.3 ? 0.74 : 0.84));
  const textBox = {
    x: Math.round((W - maxCard) / 2) + padX,
    y: Math.round(H * 0.22),
    width: maxCard - 2 * padX,
    height: Math.round(H * 0.56),
  };
  const layout = layoutText(title, font, {
    box: textBox,
    maxLines: 3,
    maxSize: Math.round(u * 0.115),
    minSize: Math.round(u * 0.05),
    lineHeight: 1.12,
    align: "center",
  });
  const cardW = Math.max(layout.block.width, W * 0.3) + 2 * padX;
  const card = {
    x: Math.round((W - cardW) / 2),
    y: Math.round(layout.block.y - padY),
    width: Math.round(cardW),
    height: Math.round(layout.block.height + 2 * padY),
  };
  const radius = Math.round(u * 0.03);
  const ruleW = Math.round(u * 0.08);
  const rule = {
    x: Math.round((W - ruleW) / 2),
    y: card.y + card.height - Math.round(padY * 0.45),
    width: ruleW,
    height: Math.max(3, Math.round(u * 0.008)),
  };
  const feather = u * 0.07;
  const shadowCore = {
    x: card.x + radius,
    y: card.y + radius * 1.6,
    width: card.width - 2 * radius,
    height: card.height - 2 * radius,
  };
  return {
    textBox,
    layout,
    paint(img) {
      softScrim(img, shadowCore, feather, [0, 0, 0], 0.35, pad(card, -radius));
      fillRoundedRect(img, card, radius, WHITE, 0.94);
      fillRect(img, rule, ACCENT, 1);
      const worst = extremeColors(img, pad(layout.ink, 4), "darkest", 1);
      return { alpha: 0.94, contrast: worst[0] ? contrastRatio(worst[0], INK) : 21, text: { color: INK } };
    },
  };
};
