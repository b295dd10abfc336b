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
}

/** final/<batchId>/<promptIndex>-<modelId>.<ext>, or …-<modelId>-t<take>.<ext> for a later take. */
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
  const suffix = take === 0 ? "" : `-t${take}`;
  return `final/${input.batchId}/${input.promptIndex}-${input.modelId}${suffix}.${extensionFor(input.mime ?? "image/jpeg")}`;
}

/** Prefix holding every final thumbnail of a batch (for listing and deleting a batch). */
export function batchPrefix(batchId: string): string {
  if (!ID.test(batchId)) throw new StorageKeyError(batchId, "batchId must be 1-128 of A-Z a-z 0-9 . _ -");
  return `final/${batchId}/`;
}
