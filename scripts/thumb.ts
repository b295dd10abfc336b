/**
 * Renders one thumbnail from the command line: prompt → image model → compositor → file.
 *   npm run thumb -- --title "…" --model local-preview --style photorealistic \
 *     --template bottom-bar --font inter [--canvas blog|youtube|square] [--format jpeg|webp|png]
 *     [--quality 85] [--context "…"] [--extra "…"] [--seed 1] --out file.jpg
 * The format follows --out's extension (.jpg, .jpeg, .webp, .png) unless --format is given; the two must
 * agree. Every flag is checked before the provider call (scripts/lib/thumb-args.ts), so a typo costs nothing.
 * Works offline with local-preview, with real keys, or against the simulator (PROVIDER_SIMULATOR_URL).
 * Exit codes: 0 written; 1 the provider or the compositor failed; 2 bad usage (every bad flag named, one
 * line each), or the model's provider key not set (the line names the variable).
 */
import { writeFileSync } from "node:fs";
import { pickSize } from "@/lib/catalog/models";
import { composeThumbnail } from "@/lib/compose/compose";
import { buildPrompt } from "@/lib/prompt";
import { isProviderError, ProviderUnavailableError } from "@/lib/errors";
import { getProvider } from "@/lib/providers/registry";
import { parseThumbArgs, thumbUsage, UsageError } from "./lib/thumb-args";

/** Tries in all for a call the provider may take on another try (429, 5xx, timeouts). */
const TRIES = 3;

/**
 * The provider call, tried again after a rate limit or a passing failure: the SDKs' own retries are off
 * (batches count every try themselves), so this one-off command does what the workflow does for a cell,
 * waiting as long as the provider asks (else 2 s, then 4 s). A permanent refusal is not tried again.
 */
async function withRetries<T>(call: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (err) {
      if (!isProviderError(err) || !err.retryable || attempt === TRIES) throw err;
      const waitMs = err.retryAfterMs ?? 1000 * 2 ** attempt;
      console.error(
        `thumb: ${err.fact} (try ${attempt} of ${TRIES}; trying again in ${(waitMs / 1000).toFixed(1)} s)`,
      );
      await new Promise((resolve) => setTimeout(resolve, waitMs));
    }
  }
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  if (argv.includes("--help") || argv.includes("-h")) return void console.log(thumbUsage());
  const args = parseThumbArgs(argv);
  const { model, canvas, style } = args;
  // Before anything else: a provider key not set is refused here (exit 2), like a bad flag.
  const provider = getProvider(model.id);
  if (args.notice) console.error(`notice: ${args.notice}`);
  const size = pickSize(model, canvas);
  const prompt = buildPrompt({
    title: args.title,
    style,
    context: args.context,
    extraPrompt: args.extra,
    canvas,
  });

  const started = performance.now();
  const image = await withRetries(() =>
    provider.generate({
      model: model.id,
      prompt,
      width: size.width,
      height: size.height,
      style,
      seed: args.seed,
    }),
  );
  const generated = performance.now();
  const result = await composeThumbnail({
    image: image.bytes,
    title: args.title,
    template: args.template,
    font: args.font,
    canvas,
    format: args.format,
    quality: args.quality,
  });
  writeFileSync(args.out, result.bytes);
  console.log(
    `${args.out}: ${result.width}×${result.height} ${result.mime}, ${(result.bytes.length / 1024).toFixed(0)} kB; ` +
      `${model.id} ${image.width}×${image.height} in ${(generated - started).toFixed(0)} ms ($${image.costUsd.toFixed(3)}), ` +
      `composed in ${(performance.now() - generated).toFixed(0)} ms; ` +
      `title ${result.meta.fontSize}px × ${result.meta.lines} line(s)${result.meta.truncated ? " (truncated)" : ""}, contrast ${result.meta.contrast}:1`,
  );
  if (result.meta.missingGlyphs.length > 0) {
    console.error(`warning: no shipped font draws ${result.meta.missingGlyphs.join(" ")}`);
  }
}

main().catch((err: unknown) => {
  if (err instanceof UsageError) {
    const lines = err.problems.map((problem) => `thumb: ${problem}`);
    lines[lines.length - 1] += " (npm run thumb -- --help lists the flags)";
    console.error(lines.join("\n"));
    process.exit(2);
  }
  // A key not set is configuration, like a bad flag: nothing was asked of the provider.
  if (err instanceof ProviderUnavailableError) {
    console.error(`thumb: ${err.message}`);
    process.exit(2);
  }
  console.error(
    `thumb: ${isProviderError(err) ? err.fact : err instanceof Error ? err.message : String(err)}`,
  );
  process.exit(1);
});
