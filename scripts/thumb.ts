/**
 * Renders one thumbnail from the command line: prompt → image model → compositor → file.
 *   npm run thumb -- --title "…" --model local-preview --style photorealistic \
 *     --template bottom-bar --font inter [--canvas blog|youtube|square] [--format jpeg|webp|png]
 *     [--quality 85] [--context "…"] [--extra "…"] [--seed 1] --out file.jpg
 * Works offline with local-preview, with real keys, or against the simulator (PROVIDER_SIMULATOR_URL).
 */
import { writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { CANVAS_IDS, DEFAULT_CANVAS_ID, getCanvas, isCanvasId } from "@/lib/catalog/canvases";
import { DEFAULT_FONT_ID, FONT_IDS, isFontId } from "@/lib/catalog/fonts";
import { pickSize, resolveModel } from "@/lib/catalog/models";
import { DEFAULT_STYLE, isStyleId, STYLE_IDS } from "@/lib/catalog/styles";
import { DEFAULT_TEMPLATE_ID, isTemplateId, TEMPLATE_IDS } from "@/lib/catalog/templates";
import { composeThumbnail, OUTPUT_FORMATS, type OutputFormat } from "@/lib/compose/compose";
import { buildPrompt } from "@/lib/prompt";
import { getProvider } from "@/lib/providers/registry";

class UsageError extends Error {}

function oneOf<T extends string>(
  name: string,
  value: string,
  ids: readonly T[],
  check: (v: string) => v is T,
): T {
  if (!check(value)) throw new UsageError(`--${name}: unknown "${value}"; expected one of ${ids.join(", ")}`);
  return value;
}

function integer(name: string, value: string | undefined, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new UsageError(`--${name}: expected an integer from ${min} to ${max}`);
  return n;
}

async function main(): Promise<void> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        title: { type: "string" },
        model: { type: "string", default: "local-preview" },
        style: { type: "string", default: DEFAULT_STYLE },
        template: { type: "string", default: DEFAULT_TEMPLATE_ID },
        font: { type: "string", default: DEFAULT_FONT_ID },
        canvas: { type: "string", default: DEFAULT_CANVAS_ID },
        format: { type: "string" },
        quality: { type: "string" },
        context: { type: "string" },
        extra: { type: "string" },
        seed: { type: "string" },
        out: { type: "string" },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  if (!values.title?.trim())
    throw new UsageError('--title is required, e.g. --title "How to brew better coffee"');
  if (!values.out) throw new UsageError("--out is required, e.g. --out thumb.jpg");
  const style = oneOf("style", values.style, STYLE_IDS, isStyleId);
  const template = oneOf("template", values.template, TEMPLATE_IDS, isTemplateId);
  const font = oneOf("font", values.font, FONT_IDS, isFontId);
  const canvas = getCanvas(oneOf("canvas", values.canvas, CANVAS_IDS, isCanvasId));
  const fromExt = values.out
    .match(/\.(jpe?g|webp|png)$/i)?.[1]
    ?.toLowerCase()
    .replace("jpg", "jpeg");
  const format = (values.format ?? fromExt ?? "jpeg") as OutputFormat;
  if (!OUTPUT_FORMATS.includes(format))
    throw new UsageError(`--format: expected one of ${OUTPUT_FORMATS.join(", ")}`);

  let resolved;
  try {
    resolved = resolveModel(values.model);
  } catch (err) {
    throw new UsageError(`--model: ${(err as Error).message}`);
  }
  const { model, notice } = resolved;
  if (notice) console.error(`notice: ${notice}`);
  const size = pickSize(model, canvas);
  const prompt = buildPrompt({
    title: values.title,
    style,
    context: values.context,
    extraPrompt: values.extra,
    canvas,
  });

  const started = performance.now();
  const image = await getProvider(model.id).generate({
    model: model.id,
    prompt,
    width: size.width,
    height: size.height,
    style,
    seed: integer("seed", values.seed, 0, 2 ** 31 - 1),
  });
  const generated = performance.now();
  const result = await composeThumbnail({
    image: image.bytes,
    title: values.title,
    template,
    font,
    canvas,
    format,
    quality: integer("quality", values.quality, 1, 100),
  });
  writeFileSync(values.out, result.bytes);
  console.log(
    `${values.out}: ${result.width}×${result.height} ${result.mime}, ${(result.bytes.length / 1024).toFixed(0)} kB; ` +
      `${model.id} ${image.width}×${image.height} in ${(generated - started).toFixed(0)} ms ($${image.costUsd.toFixed(3)}), ` +
      `composed in ${(performance.now() - generated).toFixed(0)} ms; ` +
      `title ${result.meta.fontSize}px × ${result.meta.lines} line(s)${result.meta.truncated ? " (truncated)" : ""}, contrast ${result.meta.contrast}:1`,
  );
  if (result.meta.missingGlyphs.length > 0) {
    console.error(`warning: no shipped font draws ${result.meta.missingGlyphs.join(" ")}`);
  }
}

main().catch((err: unknown) => {
  const message = err instanceof Error ? err.message : String(err);
  console.error(`thumb: ${message}`);
  process.exit(err instanceof UsageError ? 2 : 1);
});
