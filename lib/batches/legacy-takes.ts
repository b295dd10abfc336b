/**
 * Later takes stored before their keys carried a tag (lib/storage/keys.ts) have keys anyone can guess from
 * a shared batch's id. Such a file is served to everyone only while its cell shows it (as its picture, or
 * as the previous one while a take is under way); otherwise, once replaced, only to the batch's owner.
 */
import { cookieValue } from "@/lib/access";
import { getDb, findCell } from "@/lib/db";
import { legacyTakeKey } from "@/lib/storage/keys";
import { BROWSER_KEY_COOKIE, manageDecision, ownerCookieName } from "./owner";

/** "public" for any other key, "owner" for a hidden legacy take the request's owner may see, else "hidden". */
export async function legacyTakeAccess(
  key: string,
  headers: Headers,
): Promise<"public" | "owner" | "hidden"> {
  const parts = legacyTakeKey(key);
  if (!parts) return "public";
  const cell = await findCell(await getDb(), parts.batchId, parts.promptIndex, parts.modelId);
  const shown = cell?.finalKey === key || (cell?.status !== "succeeded" && cell?.previous?.finalKey === key);
  if (cell && shown) return "public";
  const { batchId } = parts;
  const own = cookieValue(headers, ownerCookieName(batchId)) ?? undefined;
  const browser = cookieValue(headers, BROWSER_KEY_COOKIE) ?? undefined;
  return manageDecision(batchId, headers, own, browser).granted ? "owner" : "hidden";
}
