/** Blob keys as the URLs pages and clients load (kept apart from service.ts, so exports need not load the SDKs). */
import { getStorage } from "@/lib/storage";
import type { UrlFor } from "./dto";

/** `version` busts caches when a deterministic key is rewritten (see toBatchDto). */
export const urlFor: UrlFor = (key, version) => `${getStorage().url(key)}?v=${encodeURIComponent(version)}`;
