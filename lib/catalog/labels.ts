/**
 * A batch's look as people read it ("Photorealistic · Bottom bar · Inter"), from the catalog's labels, as
 * the gallery names them; ids stay where a person types them (the CLI, batch files).
 */
import { canvasLabel } from "./canvases";
import { fontLabel } from "./fonts";
import { styleLabel } from "./styles";
import { templateLabel } from "./templates";

export interface Look {
  style: string;
  template: string;
  font: string;
  /** Left out when absent. */
  canvas?: string;
}

export function lookLabel(look: Look): string {
  const parts = [styleLabel(look.style), templateLabel(look.template), fontLabel(look.font)];
  if (look.canvas !== undefined) parts.push(canvasLabel(look.canvas));
  return parts.join(" · ");
}
