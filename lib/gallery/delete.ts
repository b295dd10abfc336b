/**
 * Gallery deletion: validates the ids, checks the admin rule, removes rows (lib/db deleteImages) and then
 * their blobs. Raw images are content-addressed and may be shared with cells that stay (a restyled batch):
 * deleteImages leaves out the raw keys a remaining cell still references.
 */
import type { FieldIssue } from "@/lib/batches/input";
import { callWindowMs } from "@/lib/batches/call-window";
import { contactSheetPrefix } from "@/lib/export/contact-sheet-cache";
import { deleteImages, type Db } from "@/lib/db";
import { parseImageIds, type IdsResult } from "@/lib/image-ids";
import { tooManyAttemptsMessage } from "@/lib/access-throttle";
import { adminDecision } from "@/lib/mode";
import type { BlobStore } from "@/lib/storage";

export const MAX_DELETE_IDS = 500;

export function parseDeleteRequest(body: unknown): IdsResult {
  return parseImageIds(body, MAX_DELETE_IDS);
}

export type AdminCheck =
  | { ok: true }
  | { ok: false; status: 401 | 403 | 429; error: string; issues: FieldIssue[]; retryAfterMs?: number };

/** Embedded installs may delete; production needs `Authorization: Bearer $ADMIN_TOKEN`. */
export function checkAdmin(
  headers: Headers,
  env: Record<string, string | undefined> = process.env,
): AdminCheck {
  // Next's types make NODE_ENV required on ProcessEnv; adminDecision only reads the mode and token variables.
  const decision = adminDecision(headers, env as NodeJS.ProcessEnv);
  if (decision.granted) return { ok: true };
  const issue = (message: string) => [{ path: "authorization", message }];
  if (decision.retryAfterMs > 0)
    return {
      ok: false,
      status: 429,
      error: tooManyAttemptsMessage(decision.retryAfterMs),
      issues: issue("not checked: too many wrong passwords or admin tokens lately"),
      retryAfterMs: decision.retryAfterMs,
    };
  if (!env.ADMIN_TOKEN?.trim())
    return {
      ok: false,
      status: 403,
      error: "Deleting images is disabled: the server has no ADMIN_TOKEN.",
      issues: issue("set ADMIN_TOKEN on the server to allow deletion"),
    };
  if (!headers.get("authorization"))
    return {
      ok: false,
      status: 401,
      error: "Deleting images needs the admin token.",
      issues: issue("send Authorization: Bearer <ADMIN_TOKEN>"),
    };
  return {
    ok: false,
    status: 403,
    error: "The admin token is not right.",
    issues: issue("the bearer token does not match ADMIN_TOKEN"),
  };
}

export interface DeleteOutcome {
  deleted: string[];
  /** Unknown ids, cells still in progress, or cells whose provider call from before a cancel may still land. */
  skipped: string[];
  /** Blob objects removed. */
  blobsDeleted: number;
  /** Raw images kept because other cells still use them. */
  blobsKept: number;
}

export async function deleteGalleryImages(db: Db, store: BlobStore, ids: string[]): Promise<DeleteOutcome> {
  const result = await deleteImages(db, ids, { callWindowMs: callWindowMs() });
  // Contact sheets cached for those batches still show the deleted images: drop every version.
  const sheets = await Promise.all(result.batchIds.map((id) => store.list(contactSheetPrefix(id))));
  const doomed = [...result.keys, ...sheets.flat().map((blob) => blob.key)];
  if (doomed.length > 0) await store.delete(doomed);
  return {
    deleted: result.deleted,
    skipped: result.skipped,
    blobsDeleted: doomed.length,
    blobsKept: result.kept,
  };
}
