/**
 * Image styles, declared once. Ids match batch files written for the Render reference app. Each style has
 * a prompt fragment for real models and a palette the offline preview renderer and UI swatches use.
 */
import { z } from "zod";

interface StyleSpec {
  label: string;
  /** Appended to the image prompt; describes look, not subject. */
  prompt: string;
  /** 3-5 colours, darkest-to-lightest roughly; the first two form the preview's background gradient. */
  palette: readonly string[];
}

const STYLES = {
  photorealistic: {
    label: "Photorealistic",
    prompt:
      "photorealistic photograph, natural lighting, shallow depth of field, sharp detail, true-to-life colour",
    palette: ["#1f2a36", "#4a6274", "#a3b8c2", "#e8d8c4"],
  },
  cinematic: {
    label: "Cinematic",
    prompt:
      "cinematic film still, dramatic lighting, anamorphic lens, teal and orange grade, atmospheric haze",
    palette: ["#0b1d2a", "#12464f", "#e07a2f", "#f4c58a"],
  },
  cartoon: {
    label: "Cartoon",
    prompt: "bold cartoon illustration, clean thick outlines, flat bright colours, playful shapes",
    palette: ["#2b59c3", "#ffcf3f", "#ff6b6b", "#5ee0a0", "#ffffff"],
  },
  anime: {
    label: "Anime",
    prompt: "anime key visual, cel shading, vibrant sky, detailed background art, soft bloom",
    palette: ["#283a8a", "#7b6cf6", "#f49ac1", "#fde2e4"],
  },
  "3d": {
    label: "3D render",
    prompt: "3D render, soft global illumination, smooth materials, studio lighting, subtle reflections",
    palette: ["#22223b", "#4a4e69", "#9a8c98", "#c9ada7", "#f2e9e4"],
  },
  "pixel-art": {
    label: "Pixel art",
    prompt: "retro pixel art, limited palette, crisp square pixels, 16-bit game aesthetic",
    palette: ["#1a1c2c", "#5d275d", "#b13e53", "#ef7d57", "#ffcd75"],
  },
  watercolor: {
    label: "Watercolor",
    prompt: "watercolor painting, soft washes, visible paper texture, gentle colour bleeding",
    palette: ["#3d5a80", "#98c1d9", "#e0fbfc", "#ee6c4d"],
  },
  "oil-painting": {
    label: "Oil painting",
    prompt: "oil painting on canvas, rich impasto brushstrokes, warm glazes, classical composition",
    palette: ["#3b2314", "#7f4f24", "#b08968", "#ddb892", "#e6ccb2"],
  },
  sketch: {
    label: "Sketch",
    prompt: "pencil sketch, expressive hatching, graphite on textured paper, monochrome",
    palette: ["#2b2b2b", "#5c5c5c", "#a8a8a8", "#f1efe9"],
  },
  minimalist: {
    label: "Minimalist",
    prompt: "minimalist design, generous negative space, simple geometric forms, restrained palette",
    palette: ["#264653", "#2a9d8f", "#e9c46a", "#f4f1ea"],
  },
  neon: {
    label: "Neon",
    prompt:
      "neon-lit night scene, glowing magenta and cyan lights, reflections on wet surfaces, synthwave mood",
    palette: ["#0d0221", "#261447", "#ff3864", "#2de2e6", "#f6019d"],
  },
  vintage: {
    label: "Vintage",
    prompt: "vintage 1970s photograph, faded film colours, light grain, warm nostalgic tones",
    palette: ["#4a3728", "#8c6a4f", "#c9a66b", "#e8d5b0"],
  },
  isometric: {
    label: "Isometric",
    prompt: "isometric illustration, clean vector shapes, soft shadows, tidy miniature scene",
    palette: ["#1d3557", "#457b9d", "#a8dadc", "#f1faee", "#e63946"],
  },
} as const satisfies Record<string, StyleSpec>;

export type StyleId = keyof typeof STYLES;
export type Style = StyleSpec & { id: StyleId };

export const STYLE_IDS = Object.keys(STYLES) as [StyleId, ...StyleId[]];
export const styleIdSchema = z.enum(STYLE_IDS);
export const DEFAULT_STYLE: StyleId = "photorealistic";

export function isStyleId(id: string): id is StyleId {
  return Object.hasOwn(STYLES, id);
}

export function getStyle(id: StyleId): Style {
  return { id, ...STYLES[id] };
}

export function listStyles(): Style[] {
  return STYLE_IDS.map(getStyle);
}

/** A style's label for people; the id itself for anything the catalog no longer lists. */
export function styleLabel(id: string): string {
  return isStyleId(id) ? STYLES[id].label : id;
}

export function styleOptions(): { value: StyleId; label: string; swatches: readonly string[] }[] {
  return listStyles().map((s) => ({ value: s.id, label: s.label, swatches: s.palette }));
}
