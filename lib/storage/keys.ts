/**
 * Deterministic blob keys. Raw model output is content-addressed (the same bytes always land on the same
 * key, so a re-composite never needs a new paid generation); finished thumbnails are keyed by
 * (batch, prompt index, model), so a retried cell overwrites its object instead of leaving a duplicate.
 */
import { createHash } from "node:crypto";
import { StorageKeyError } from "@/lib/errors";

const SEGMENT = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
export const MAX_KEY_LENGTH = 512;

/**
 * Keys are "/"-separated segments of letters, digits, ".", "_" and "-", none starting with "." or "-".
 * That rules out "..", absolute paths, backslashes, hidden files and anything needing URL encoding, which
 * makes path traversal in the local store impossible by construction.
 */
export function keyProblem(key: string): string | null {
  if (typeof key !== "string" || key.length === 0) return "must be a non-empty string";
  if (key.length > MAX_KEY_LENGTH) return `must be at most ${MAX_KEY_LENGTH} characters`;
  for (const segment of key.split("/")) {
    if (segment.length === 0) return "must not have empty segments (leading, trailing or double slashes)";
    if (!SEGMENT.test(segment)) {
      return `segment "${segment.slice(0, 60)}" may only contain A-Z a-z 0-9 . _ - and must start with a letter or digit`;
    }
  }
  return null;
}

export function assertValidKey(key: string): string {
  const problem = keyProblem(key);
  if (problem) throw new StorageKeyError(key, problem);
  return key;
}

/** A list prefix: same alphabet as keys, but may end in "/" or part-way through a segment. */
export function assertValidPrefix(prefix: string): string {
  if (prefix === "") return prefix;
  const trimmed = prefix.endsWith("/") ? prefix.slice(0, -1) : prefix;
  const problem = keyProblem(trimmed);
  if (problem) throw new StorageKeyError(prefix, `invalid prefix: ${problem}`);
  return prefix;
}

const EXTENSIONS: Record<string, string> = {
  "image/jpeg": "jpg",
  "image/png": "png",
  "image/webp": "webp",
  "image/avif": "avif",
  "image/gif": "gif",
  "application/json": "json",
};

export function extensionFor(mime: string): string {
  const ext = EXTENSIONS[mime.toLowerCase().split(";")[0]?.trim() ?? ""];
  if (!ext) throw new RangeError(`no file extension known for content type "${mime}"`);
  return ext;
}

/** Content type derived from a key's extension; application/octet-stream when unknown. */
export function contentTypeFor(key: string): string {
  const ext = key.slice(key.lastIndexOf(".") + 1).toLowerCase();
  if (ext === "jpeg") return "image/jpeg";
  const hit = Object.entries(EXTENSIONS).find(([, e]) => e === ext);
  return hit ? hit[0] : "application/octet-stream";
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

/** raw/<sha256>.<ext> */
export function rawImageKey(bytes: Uint8Array, mime: string): string {
  return `raw/${sha256Hex(bytes)}.${extensionFor(mime)}`;
}

const ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

export interface FinalKeyInput {
  batchId: string;
  /** Position of the title in the batch, from 0. */
  promptIndex: number;
  modelId: string;
  /** Content type of the encoded thumbnail; default JPEG. */
  mime?: string;
  /** The cell's take (new pictures its owner asked for); 0, the first, adds nothing to the key. */
  take?: number;
  /**
   * Required with a later take: a part no one can guess (lib/batches/owner.ts, takeKeyTag), the same for
   * every attempt at that take. Once replaced, a take is for its owner only, yet stored files are served
   * by key to anyone (/api/blob, a public Vercel Blob store): a guessable key would give it away.
   */
  tag?: string;
}

const TAG = /^[A-Za-z0-9_-]{8,64}$/;

/**
 * final/<batchId>/<promptIndex>-<modelId>.<ext>, or …-<modelId>-t<take>-<tag>.<ext> for a later take
 * (…-t<take>.<ext>, with no tag, before tags: see legacyTakeKey).
 */
export function finalImageKey(input: FinalKeyInput): string {
  if (!ID.test(input.batchId))
    throw new StorageKeyError(input.batchId, "batchId must be 1-128 of A-Z a-z 0-9 . _ -");
  if (!Number.isSafeInteger(input.promptIndex) || input.promptIndex < 0) {
    throw new StorageKeyError(String(input.promptIndex), "promptIndex must be a non-negative integer");
  }
  if (!ID.test(input.modelId))
    throw new StorageKeyError(input.modelId, "modelId must be 1-128 of A-Z a-z 0-9 . _ -");
  const take = input.take ?? 0;
  if (!Number.isSafeInteger(take) || take < 0) {
    throw new StorageKeyError(String(take), "take must be a non-negative integer");
  }
  if (take > 0 && !TAG.test(input.tag ?? "")) {
    throw new StorageKeyError(String(input.tag), "a later take needs a tag of 8-64 of A-Z a-z 0-9 _ -");
  }
  const suffix = take === 0 ? "" : `-t${take}-${input.tag}`;
  return `final/${input.batchId}/${input.promptIndex}-${input.modelId}${suffix}.${extensionFor(input.mime ?? "image/jpeg")}`;
}

/**
 * A later take's key as made before takes were tagged (final/<batchId>/<promptIndex>-<modelId>-t<take>.<ext>),
 * its parts; null for any other key. Such files are still read, by their cell's owner (app/api/blob).
 */
export function legacyTakeKey(key: string): { batchId: string; promptIndex: number; modelId: string } | null {
  const match = /^final\/([^/]+)\/(\d+)-([^/]+)-t[1-9]\d*\.[a-z]+$/.exec(key);
  if (!match) return null;
  return { batchId: match[1]!, promptIndex: Number(match[2]), modelId: match[3]! };
}

/** Prefix holding every final thumbnail of a batch (for listing and deleting a batch). */
export function batchPrefix(batchId: string): string {
  if (!ID.test(batchId)) throw new StorageKeyError(batchId, "batchId must be 1-128 of A-Z a-z 0-9 . _ -");
  return `final/${batchId}/`;
}
