import sharp from "sharp";
import { beforeAll, describe, expect, it } from "vitest";
import { contrastRatio, luminance } from "@/lib/compose/color";
import { composeThumbnail, type ComposeInput } from "@/lib/compose/compose";
import { ComposeInputError } from "@/lib/compose/errors";
import { extremeColors } from "@/lib/compose/raster";
import { samplePhoto } from "@/lib/compose/sample-image";
import { TEMPLATE_RENDERERS } from "@/lib/compose/templates";
import { layoutText } from "@/lib/compose/text/layout";
import { rasterizeLayout } from "@/lib/compose/text/rasterize";
import { loadFontFile } from "@/lib/compose/text/font-loader";
import { getFont } from "@/lib/catalog/fonts";
import { hasVisibleText } from "@/lib/compose/text/shape";
import { INVISIBLE_TITLES, VISIBLE_EDGE_TITLES } from "./invisible-titles";

const canvas = { width: 1200, height: 630 };
const backgrounds: Record<"dark" | "light" | "busy", Buffer> = {} as never;

beforeAll(async () => {
  for (const kind of ["dark", "light", "busy"] as const)
    backgrounds[kind] = await samplePhoto(1536, 1024, kind);
});

async function rawOf(bytes: Buffer) {
  return sharp(bytes).removeAlpha().raw().toBuffer({ resolveWithObject: true });
}

describe("composeThumbnail", () => {
  it("cover-crops to the canvas and encodes JPEG by default, WebP and PNG on request", async () => {
    const base = {
      image: backgrounds.dark,
      title: "Formats",
      template: "bottom-bar",
      font: "inter",
    } as const;
    const jpeg = await composeThumbnail({ ...base, canvas });
    expect(jpeg.mime).toBe("image/jpeg");
    expect(await sharp(jpeg.bytes).metadata()).toMatchObject({ format: "jpeg", width: 1200, height: 630 });
    for (const [format, mime] of [
      ["webp", "image/webp"],
      ["png", "image/png"],
    ] as const) {
      const out = await composeThumbnail({ ...base, canvas: { width: 1080, height: 1080 }, format });
      expect(out.mime).toBe(mime);
      expect(await sharp(out.bytes).metadata()).toMatchObject({ format, width: 1080, height: 1080 });
    }
  });

  it("accepts PNG input with transparency and greyscale input", async () => {
    const rgba = await sharp({
      create: { width: 800, height: 600, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } },
    })
      .png()
      .toBuffer();
    const grey = await sharp(backgrounds.dark).greyscale().jpeg().toBuffer();
    for (const image of [rgba, grey]) {
      const out = await composeThumbnail({
        image,
        title: "Edge",
        template: "overlay-center",
        font: "inter",
        canvas,
      });
      expect(out.width).toBe(1200);
    }
  });

  it("rejects bad input with the field named", async () => {
    const good: ComposeInput = {
      image: backgrounds.dark,
      title: "t",
      template: "bottom-bar",
      font: "inter",
      canvas,
    };
    const cases: [Partial<Record<keyof ComposeInput, unknown>>, string][] = [
      [{ image: Buffer.alloc(0) }, "image"],
      [{ image: Buffer.from("not an image") }, "image"],
      [{ title: "  \n " }, "title"],
      [{ template: "nope" }, "template"],
      [{ font: "comic-sans" }, "font"],
      [{ canvas: { width: 10, height: 630 } }, "canvas.width"],
      [{ canvas: { width: 1200, height: 1.5 } }, "canvas.height"],
      [{ format: "gif" }, "format"],
      [{ quality: 0 }, "quality"],
    ];
    for (const [override, field] of cases) {
      const err = await composeThumbnail({ ...good, ...override } as ComposeInput).catch((e: unknown) => e);
      expect(err, field).toBeInstanceOf(ComposeInputError);
      expect((err as ComposeInputError).field).toBe(field);
    }
  });

  it("refuses a title with nothing to draw as bad input, by the rule the batch schema uses", async () => {
    const base = { image: backgrounds.dark, template: "bottom-bar", font: "inter", canvas } as const;
    for (const title of INVISIBLE_TITLES) {
      expect(hasVisibleText(title), JSON.stringify(title)).toBe(false);
      const err = await composeThumbnail({ ...base, title }).catch((e: unknown) => e);
      expect(err, JSON.stringify(title)).toBeInstanceOf(ComposeInputError);
      expect((err as ComposeInputError).field).toBe("title");
    }
    for (const title of VISIBLE_EDGE_TITLES) {
      expect(hasVisibleText(title), JSON.stringify(title)).toBe(true);
      expect((await composeThumbnail({ ...base, title })).width).toBe(1200);
    }
  });

  it("really draws the chosen font: two faces give different pixels, each with plenty of text pixels", async () => {
    const render = async (font: "inter" | "pacifico") =>
      rawOf(
        (
          await composeThumbnail({
            image: backgrounds.dark,
            title: "Weekend Baking",
            template: "bottom-bar",
            font,
            canvas,
            format: "png",
          })
        ).bytes,
      );
    const [a, b] = await Promise.all([render("inter"), render("pacifico")]);
    let differing = 0;
    let whiteA = 0;
    let whiteB = 0;
    for (let i = 0; i < a.data.length; i += 3) {
      if (Math.abs(a.data[i]! - b.data[i]!) > 64) differing++;
      if (a.data[i]! > 230 && a.data[i + 1]! > 230 && a.data[i + 2]! > 230) whiteA++;
      if (b.data[i]! > 230 && b.data[i + 1]! > 230 && b.data[i + 2]! > 230) whiteB++;
    }
    expect(differing).toBeGreaterThan(5000);
    expect(whiteA).toBeGreaterThan(3000);
    expect(whiteB).toBeGreaterThan(3000);
  });

  it("keeps WCAG contrast ≥ 4.5:1 under the title on light, dark and busy photos", async () => {
    for (const kind of ["light", "dark", "busy"] as const) {
      for (const template of [
        "overlay-bottom",
        "overlay-center",
        "bottom-bar",
        "left-panel",
        "center-box",
      ] as const) {
        const out = await composeThumbnail({
          image: backgrounds[kind],
          title: "Readable On Anything",
          template,
          font: "inter",
          canvas,
        });
        expect(out.meta.contrast, `${template} on ${kind}`).toBeGreaterThanOrEqual(4.5);
      }
    }
  });

  it("scrims the photo under overlay titles until every pixel there reaches 4.5:1 (checked at full resolution)", async () => {
    for (const kind of ["light", "dark", "busy"] as const) {
      const { data, info } = await sharp(backgrounds[kind])
        .resize(canvas.width, canvas.height, { fit: "cover" })
        .raw()
        .toBuffer({ resolveWithObject: true });
      for (const template of ["overlay-bottom", "overlay-center"] as const) {
        const img = { data: Buffer.from(data), width: info.width, height: info.height };
        const plan = TEMPLATE_RENDERERS[template]({
          canvas,
          title: "Scrim Strength Under Test",
          font: "inter",
        });
        const before = extremeColors(img, plan.layout.ink, "brightest", 1, 1)[0]!;
        const painted = plan.paint(img);
        const mode = luminance(painted.text.color) > 0.5 ? "brightest" : "darkest";
        const worst = extremeColors(img, plan.layout.ink, mode, 1, 1)[0]!;
        expect(contrastRatio(worst, painted.text.color), `${template} on ${kind}`).toBeGreaterThanOrEqual(
          4.5,
        );
        if (kind === "light" && painted.text.color[0] === 255)
          expect(luminance(before)).toBeGreaterThan(luminance(worst));
      }
    }
  });
});

describe("glyph rasterizer", () => {
  it("matches opentype.js outlines rendered by librsvg", async () => {
    const text = "Hamburgevons Quartz 1234";
    const layout = layoutText(text, "inter", {
      box: { x: 10, y: 10, width: 1000, height: 120 },
      maxLines: 1,
      maxSize: 64,
      minSize: 64,
      lineHeight: 1.1,
      align: "start",
      valign: "top",
    });
    const line = layout.lines[0]!;
    const [width, height] = [1020, 140];
    const ours = rasterizeLayout(layout, 0, 0, width, height);
    const font = loadFontFile(getFont("inter").files[0]!);
    const d = font.getPath(text, line.x, line.baseline, layout.size, { kerning: true }).toPathData(3);
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><path d="${d}" fill="#fff"/></svg>`;
    const theirs = await sharp(Buffer.from(svg)).ensureAlpha().extractChannel(3).raw().toBuffer();
    let inter = 0;
    let union = 0;
    let diff = 0;
    for (let i = 0; i < ours.length; i++) {
      const a = ours[i]! > 127;
      const b = theirs[i]! > 127;
      if (a && b) inter++;
      if (a || b) union++;
      diff += Math.abs(ours[i]! - theirs[i]!);
    }
    expect(union).toBeGreaterThan(10000);
    expect(inter / union).toBeGreaterThan(0.97);
    expect(diff / ours.length).toBeLessThan(4);
  });
});
