import type { TemplateId } from "@/lib/catalog/templates";
import { bottomBar } from "./bottom-bar";
import { centerBox } from "./center-box";
import { leftPanel } from "./left-panel";
import { overlayBottom } from "./overlay-bottom";
import { overlayCenter } from "./overlay-center";
import type { TemplateRenderer } from "./types";

/** One renderer per catalog template; the Record type makes a missing renderer a type error. */
export const TEMPLATE_RENDERERS: Record<TemplateId, TemplateRenderer> = {
  "bottom-bar": bottomBar,
  "left-panel": leftPanel,
  "center-box": centerBox,
  "overlay-bottom": overlayBottom,
  "overlay-center": overlayCenter,
};

export type { OverlayPlan, PaintResult, TemplateInput, TemplateRenderer, TextStyle } from "./types";
