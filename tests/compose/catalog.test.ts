import { existsSync, readFileSync, statSync, readdirSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { CANVASES, CANVAS_IDS, DEFAULT_CANVAS_ID, getCanvas } from "@/lib/catalog/canvases";
import { FALLBACK_FONTS, FONT_CATEGORIES, FONT_IDS, FONTS, getFont } from "@/lib/catalog/fonts";
import { lookLabel } from "@/lib/catalog/labels";
import { TEMPLATE_IDS, TEMPLATES } from "@/lib/catalog/templates";
import { TEMPLATE_RENDERERS } from "@/lib/compose/templates";
import { fontsRoot, loadFontFile } from "@/lib/compose/text/font-loader";

const REQUIRED_FONTS = [
  "inter roboto poppins montserrat oswald bebas-neue playfair merriweather lora space-mono jetbrains-mono",
  "bangers pacifico permanent-marker righteous",
]
  .join(" ")
  .split(" ");

describe("font catalog", () => {
  it("keeps every id batch files written for the Render reference use", () => {
    for (const id of REQUIRED_FONTS) expect(FONT_IDS).toContain(id);
    expect(FONTS.length).toBeGreaterThanOrEqual(12);
    expect(new Set(FONT_IDS).size).toBe(FONT_IDS.length);
  });

  it("covers display, sans, serif, mono and script faces", () => {
    const categories = new Set(FONTS.map((f) => f.category));
    for (const c of FONT_CATEGORIES) expect(categories).toContain(c);
  });

  it("ships every declared file, WOFF/TTF only, with its licence beside it", () => {
    for (const def of [...FONTS, ...FALLBACK_FONTS]) {
      for (const file of def.files) {
        expect(file, `${def.id}`).toMatch(/\.(woff|ttf|otf)$/);
        expect(existsSync(path.join(fontsRoot(), file)), file).toBe(true);
      }
      const licence = readFileSync(path.join(fontsRoot(), def.licenceFile), "utf8");
      expect(licence).toMatch(def.licence === "OFL-1.1" ? /Open Font License/i : /Apache License/i);
    }
  });

  it("parses every title font and finds the basic Latin alphabet in it", () => {
    for (const def of FONTS) {
      const font = loadFontFile(def.files[0]!);
      for (const ch of "AZaz09") expect(font.charToGlyphIndex(ch), `${def.id} ${ch}`).toBeGreaterThan(0);
      expect(getFont(def.id).label).toBe(def.label);
    }
  });

  it("keeps the shipped font folder under 25 MB", () => {
    let total = 0;
    const walk = (dir: string) => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const p = path.join(dir, entry.name);
        if (entry.isDirectory()) walk(p);
        else total += statSync(p).size;
      }
    };
    walk(fontsRoot());
    expect(total).toBeLessThan(25 * 1024 * 1024);
  });
});

describe("canvas catalog", () => {
  it("declares blog (default), youtube and square sizes", () => {
    expect(CANVAS_IDS).toEqual(["blog", "youtube", "square"]);
    expect(DEFAULT_CANVAS_ID).toBe("blog");
    expect(getCanvas("blog")).toMatchObject({ width: 1200, height: 630 });
    expect(getCanvas("youtube")).toMatchObject({ width: 1280, height: 720 });
    expect(getCanvas("square")).toMatchObject({ width: 1080, height: 1080 });
    expect(CANVASES.every((c) => c.label.length > 0)).toBe(true);
  });
});

describe("template catalog", () => {
  it("has the five templates, each with exactly one renderer", () => {
    for (const id of ["bottom-bar", "left-panel", "center-box", "overlay-bottom", "overlay-center"]) {
      expect(TEMPLATE_IDS).toContain(id);
    }
    expect(Object.keys(TEMPLATE_RENDERERS).sort()).toEqual([...TEMPLATE_IDS].sort());
    expect(TEMPLATES.every((t) => t.label && t.description)).toBe(true);
  });
});

describe("labels for people", () => {
  it("names a batch's look by the catalog's labels, as the gallery does", () => {
    expect(lookLabel({ style: "photorealistic", template: "bottom-bar", font: "inter" })).toBe(
      "Photorealistic · Bottom bar · Inter",
    );
    expect(lookLabel({ style: "3d", template: "overlay-center", font: "playfair", canvas: "blog" })).toBe(
      "3D render · Overlay, centre · Playfair Display · Blog / Open Graph",
    );
  });

  it("falls back to the id for anything the catalog no longer lists", () => {
    expect(lookLabel({ style: "gone", template: "old-bar", font: "comic", canvas: "900x900" })).toBe(
      "gone · old-bar · comic · 900x900",
    );
    // Not a label of Object.prototype either.
    expect(lookLabel({ style: "constructor", template: "toString", font: "__proto__" })).toBe(
      "constructor · toString · __proto__",
    );
  });
});
