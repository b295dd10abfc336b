/**
 * Builds the image prompt for one cell: a background for a thumbnail whose title is set over it later by
 * the compositor, so the model must leave calm space for text and must not draw any text itself.
 */
import { getStyle, type StyleId } from "@/lib/catalog/styles";

export interface PromptInput {
  title: string;
  style: StyleId;
  /** Shared background for every title in a batch (audience, brand, topic). */
  context?: string;
  /** Extra guidance from the person, appended last so it can refine everything above. */
  extraPrompt?: string;
  /** Target canvas, used to describe the orientation. */
  canvas?: { width: number; height: number };
}

/** Well under every provider's limit (OpenAI 32,000 chars); long prompts dilute the subject anyway. */
export const MAX_PROMPT_CHARS = 4000;
const MAX_TITLE_CHARS = 300;
const MAX_CONTEXT_CHARS = 1200;
const MAX_EXTRA_CHARS = 1200;

function clean(text: string | undefined, max: number): string {
  if (!text) return "";
  // Control characters and runs of whitespace add nothing to a prompt and can break provider JSON.
  const flat = text
    .replace(/[\u0000-\u001f\u007f]+/g, " ")
    .replace(/\s+/g, " ")
    .trim();
  return truncate(flat, max);
}

function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max - 1);
  const lastSpace = cut.lastIndexOf(" ");
  return `${(lastSpace > max * 0.6 ? cut.slice(0, lastSpace) : cut).trimEnd()}…`;
}

function orientation(canvas: PromptInput["canvas"]): string {
  if (!canvas || !(canvas.width > 0 && canvas.height > 0)) return "";
  const ratio = canvas.width / canvas.height;
  if (ratio > 1.15) return "Wide landscape composition.";
  if (ratio < 0.87) return "Tall portrait composition.";
  return "Square composition.";
}

export function buildPrompt(input: PromptInput): string {
  const title = clean(input.title, MAX_TITLE_CHARS);
  if (!title) throw new RangeError("title must contain visible characters");
  const style = getStyle(input.style);
  const context = clean(input.context, MAX_CONTEXT_CHARS);
  const extra = clean(input.extraPrompt, MAX_EXTRA_CHARS);

  const parts = [
    `Background image for a thumbnail titled "${title}".`,
    "Depict the subject of the title visually with one clear focal point.",
    orientation(input.canvas),
    "Keep a calm, uncluttered area for a text overlay added later.",
    "Do not render any text, letters, numbers, captions, logos, signatures or watermarks in the image.",
    `Style: ${style.prompt}.`,
    context ? `Context: ${context}` : "",
    extra ? `Additional guidance: ${extra}` : "",
  ];
  return truncate(parts.filter(Boolean).join(" "), MAX_PROMPT_CHARS);
}
