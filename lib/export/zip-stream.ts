/**
 * A ZIP written as a web ReadableStream, one file at a time. Images are already compressed, so entries
 * are stored (ZipPassThrough), not deflated. The stream is pulled by the consumer: at most LOOKAHEAD
 * images are read ahead of what the client has taken, so memory stays flat however many files there are.
 */
import { Zip, ZipPassThrough } from "fflate";

export interface ZipSource {
  name: string;
  /** Modification time written into the entry; a fixed time keeps the archive's bytes reproducible. */
  mtime?: Date | null;
  load(): Promise<Uint8Array | null>;
}

export type ZipOutcome = { ok: true } | { ok: false; reason: string };

export interface ZipTrailer {
  name: string;
  bytes: Uint8Array;
  mtime?: Date | null;
}

export interface ZipStreamOptions {
  /** Called once per source, in order, once its bytes were written or skipped. */
  onOutcome?: (index: number, outcome: ZipOutcome) => void;
  /** Files appended after all sources (e.g. a manifest describing what was written). */
  trailer?: () => ZipTrailer[];
  lookahead?: number;
}

const DOS_EPOCH_MIN = Date.UTC(1980, 0, 2);
const DOS_EPOCH_MAX = Date.UTC(2099, 11, 30);

function entryTime(mtime: Date | null | undefined): Date {
  const t = mtime?.getTime();
  return t !== undefined && t > DOS_EPOCH_MIN && t < DOS_EPOCH_MAX ? new Date(t) : new Date();
}

function addStored(zip: Zip, name: string, bytes: Uint8Array, mtime: Date | null | undefined): void {
  const entry = new ZipPassThrough(name);
  entry.mtime = entryTime(mtime);
  zip.add(entry);
  entry.push(bytes, true);
}

async function settle(source: ZipSource): Promise<{ bytes: Uint8Array } | { reason: string }> {
  try {
    const bytes = await source.load();
    return bytes ? { bytes } : { reason: "the image is missing from storage" };
  } catch (err) {
    return { reason: `the image could not be read: ${(err as Error).message}` };
  }
}

export function zipStream(sources: readonly ZipSource[], options: ZipStreamOptions = {}) {
  const lookahead = Math.max(1, options.lookahead ?? 4);
  const inFlight: Promise<{ bytes: Uint8Array } | { reason: string }>[] = [];
  let started = 0;
  let written = 0;
  let ended = false;
  let zip: Zip;

  return new ReadableStream<Uint8Array>(
    {
      start(controller) {
        zip = new Zip((err, chunk, final) => {
          if (err) return controller.error(err);
          if (chunk.length > 0) controller.enqueue(chunk);
          if (final) controller.close();
        });
      },
      async pull() {
        // A source that could not be read adds nothing, and a pull that enqueues nothing is not
        // called again by the stream while a read waits: go on to the next source instead.
        for (;;) {
          if (ended) return;
          if (written === sources.length) {
            ended = true;
            for (const file of options.trailer?.() ?? []) addStored(zip, file.name, file.bytes, file.mtime);
            zip.end();
            return;
          }
          while (started < sources.length && inFlight.length < lookahead) {
            inFlight.push(settle(sources[started++]!));
          }
          const source = sources[written]!;
          const result = await inFlight.shift()!;
          if ("bytes" in result) addStored(zip, source.name, result.bytes, source.mtime);
          options.onOutcome?.(
            written,
            "bytes" in result ? { ok: true } : { ok: false, reason: result.reason },
          );
          written++;
          if ("bytes" in result) return;
        }
      },
      cancel() {
        ended = true;
        zip.terminate();
      },
    },
    // Counted in bytes: the queue holds about one image before the next is added.
    new ByteLengthQueuingStrategy({ highWaterMark: 256 * 1024 }),
  );
}
