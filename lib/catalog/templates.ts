/** Overlay templates, declared once. Each id has exactly one renderer in lib/compose/templates. */
export type TextAlign = "start" | "center";

export interface TemplateDef {
  id: string;
  label: string;
  description: string;
  /** Horizontal alignment of the title; "start" is left for LTR titles and right for RTL ones. */
  align: TextAlign;
  /** True when the template has no panel and must add a scrim measured against the image. */
  measuresBackground: boolean;
}

export const TEMPLATES = [
  {
    id: "bottom-bar",
    label: "Bottom bar",
    description: "A dark bar across the bottom with an accent rule; centred title",
    align: "center",
    measuresBackground: false,
  },
  {
    id: "left-panel",
    label: "Left panel",
    description:
      "A dark panel over the left side; large left-aligned title, image stays visible on the right",
    align: "start",
    measuresBackground: false,
  },
  {
    id: "center-box",
    label: "Centre box",
    description: "A light rounded card in the middle with dark text",
    align: "center",
    measuresBackground: false,
  },
  {
    id: "overlay-bottom",
    label: "Overlay, bottom",
    description:
      "Title straight on the image at the bottom left (right for right-to-left titles) over a gradient scrim sized for contrast",
    align: "start",
    measuresBackground: true,
  },
  {
    id: "overlay-center",
    label: "Overlay, centre",
    description: "Large centred title on the image over a soft scrim sized for contrast",
    align: "center",
    measuresBackground: true,
  },
] as const satisfies readonly TemplateDef[];

export type TemplateId = (typeof TEMPLATES)[number]["id"];

export const TEMPLATE_IDS = TEMPLATES.map((t) => t.id) as [TemplateId, ...TemplateId[]];

export const DEFAULT_TEMPLATE_ID: TemplateId = "bottom-bar";

export function isTemplateId(value: string): value is TemplateId {
  return (TEMPLATE_IDS as readonly string[]).includes(value);
}

export function getTemplate(id: TemplateId): TemplateDef {
  const template = TEMPLATES.find((t) => t.id === id);
  if (!template) throw new Error(`unknown template "${id}"`);
  return template;
}

/** A template's label for people; the id itself for anything the catalog no longer lists. */
export function templateLabel(id: string): string {
  return TEMPLATES.find((t) => t.id === id)?.label ?? id;
}
