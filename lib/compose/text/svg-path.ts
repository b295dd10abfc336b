import type { TextLayout } from "./layout";
import { commandsOf } from "./outline-edges";

const r = (v: number) => Math.round(v * 10) / 10;

/**
 * SVG path data for every glyph of a layout, offset by (-originX, -originY) so it can be drawn
 * into a region smaller than the canvas. Only numbers and command letters: nothing from the
 * title reaches the SVG, so markup characters in titles cannot break or inject into it.
 */
export function layoutPathData(layout: TextLayout, originX = 0, originY = 0): string {
  const parts: string[] = [];
  for (const line of layout.lines) {
    for (const g of line.glyphs) {
      const s = g.size / g.font.unitsPerEm;
      const ox = g.x - originX;
      const oy = g.baseline - originY;
      const X = (v: number) => r(ox + v * s);
      const Y = (v: number) => r(oy - v * s);
      for (const c of commandsOf(g.glyph)) {
        switch (c.type) {
          case "M":
          case "L":
            parts.push(`${c.type}${X(c.x)} ${Y(c.y)}`);
            break;
          case "Q":
            parts.push(`Q${X(c.x1)} ${Y(c.y1)} ${X(c.x)} ${Y(c.y)}`);
            break;
          case "C":
            parts.push(`C${X(c.x1)} ${Y(c.y1)} ${X(c.x2)} ${Y(c.y2)} ${X(c.x)} ${Y(c.y)}`);
            break;
          case "Z":
            parts.push("Z");
            break;
        }
      }
    }
  }
  return parts.join("");
}

/** Escapes text for XML attribute and element content. */
export function xmlEscape(text: string): string {
  return text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
