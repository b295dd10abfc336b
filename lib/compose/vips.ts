import sharp from "sharp";
import { numberSetting } from "@/lib/number-setting";

/**
 * libvips worker threads for the compositor's pipelines. The compositor cannot run as one
 * decode→encode pipeline (the title's scrim and colour depend on the decoded pixels), so it
 * decodes+resizes, paints, then encodes. With one worker the JPEG decode and the resize take
 * turns; with two, one strip is resized while the next is decoded (about 20 % less latency for
 * a lone image on two cores). With several images in flight the cores are busy anyway and extra
 * threads only contend: four composes at once ran ~25 % slower with two threads each. So: two
 * threads while an image is composed alone, sharp's default of one otherwise.
 *
 * libvips has one process-wide setting, read when a pipeline starts, so other sharp pipelines
 * starting meanwhile (the bench's references included) run with the same value.
 * COMPOSE_VIPS_THREADS fixes the number instead.
 */
let inFlight = 0;

export function fixedThreads(env: Record<string, string | undefined>): number | null {
  return numberSetting(env, "COMPOSE_VIPS_THREADS", { min: 1, max: 64 }) ?? null;
}

/** Call when a compose starts; call the returned function when it ends. */
export function enterCompose(env: Record<string, string | undefined> = process.env): () => void {
  const fixed = fixedThreads(env);
  inFlight++;
  const wanted = fixed ?? (inFlight === 1 ? 2 : 1);
  if (sharp.concurrency() !== wanted) sharp.concurrency(wanted);
  let done = false;
  return () => {
    if (!done) inFlight--;
    done = true;
  };
}
