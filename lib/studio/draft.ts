/**
 * The studio's unsent draft: every field of the form, kept in the browser's localStorage so a reload, a
 * closed tab, a visit elsewhere or a session that ended mid-form does not lose hundreds of typed titles.
 *
 * A draft is removed only once a batch made from it exists: on a valid submit the studio notes the draft's
 * revision in sessionStorage ("sending"), and the batch page the action redirects to removes the draft if
 * it is still that revision. A submit the server refused leaves the draft where it was.
 */
import type { BatchDto } from "@/lib/batches/dto";
import type { StudioOptions } from "./options";

export const DRAFT_KEY = "thumbnail-studio.draft.v1";
export const SENDING_KEY = "thumbnail-studio.draft.sending";

/** More titles than any cap allows is still kept (the form says what is over); this only bounds storage. */
const MAX_TITLES = 10_000;
const MAX_TEXT = 20_000;

/** What the studio takes from an earlier batch to start a new one. */
export type BatchSettings = Pick<
  BatchDto,
  "prompts" | "models" | "style" | "template" | "font" | "canvas" | "quality" | "context" | "extraPrompt"
>;

/** The form's fields: a batch's settings as the inputs hold them (no quality is ""), plus the budget field. */
export type DraftValues = Omit<BatchSettings, "quality"> & { quality: string; budget: string };

export interface Draft {
  values: DraftValues;
  /** Increases with every save, so "the draft that was sent" can be told from a newer one. */
  rev: number;
  savedAt: number;
}

/** The part of the Storage API used here (localStorage, sessionStorage, or a test double). */
export type StorageLike = Pick<Storage, "getItem" | "setItem" | "removeItem">;

/** The form as a fresh studio shows it. */
export function defaultValues(options: StudioOptions): DraftValues {
  const firstAvailable = options.models.find((m) => m.available)?.id;
  return {
    prompts: [""],
    models: firstAvailable ? [firstAvailable] : [],
    style: options.defaults.style,
    template: options.defaults.template,
    font: options.defaults.font,
    canvas: options.defaults.canvas,
    quality: "",
    context: "",
    extraPrompt: "",
    budget: "",
  };
}

/** True when the values are what a fresh studio shows (nothing worth keeping). */
export function isUntouched(values: DraftValues, options: StudioOptions): boolean {
  return JSON.stringify(values) === JSON.stringify(defaultValues(options));
}

const str = (v: unknown, max = MAX_TEXT): string | null => (typeof v === "string" ? v.slice(0, max) : null);

/**
 * Values read back from storage, checked against what this server offers now: unknown or unavailable
 * models, styles, templates, fonts and canvases fall back to the defaults, so a draft written by another
 * version or configuration never puts the form in a state it could not reach itself. Null when the
 * stored text is not a draft at all.
 */
export function sanitizeDraft(raw: unknown, options: StudioOptions): Draft | null {
  if (!raw || typeof raw !== "object") return null;
  const { values, rev, savedAt } = raw as Record<string, unknown>;
  if (!values || typeof values !== "object" || !Number.isSafeInteger(rev) || typeof savedAt !== "number")
    return null;
  const v = values as Record<string, unknown>;
  const fallback = defaultValues(options);
  const pick = (value: unknown, allowed: { value: string }[], dflt: string) => {
    const s = str(value);
    return s !== null && allowed.some((o) => o.value === s) ? s : dflt;
  };
  const prompts = Array.isArray(v.prompts)
    ? v.prompts
        .slice(0, MAX_TITLES)
        .map((p) => str(p, 1_000))
        .filter((p): p is string => p !== null)
    : [];
  const available = new Set(options.models.filter((m) => m.available).map((m) => m.id as string));
  const models = Array.isArray(v.models)
    ? [...new Set(v.models.filter((m): m is string => typeof m === "string" && available.has(m)))]
    : [];
  return {
    rev: rev as number,
    savedAt,
    values: {
      prompts: prompts.length > 0 ? prompts : fallback.prompts,
      models: models.length > 0 ? models : fallback.models,
      style: pick(v.style, options.styles, fallback.style),
      template: pick(v.template, options.templates, fallback.template),
      font: pick(v.font, options.fonts, fallback.font),
      canvas: pick(v.canvas, options.canvases, fallback.canvas),
      quality: str(v.quality, 40) ?? "",
      context: str(v.context) ?? "",
      extraPrompt: str(v.extraPrompt) ?? "",
      budget: str(v.budget, 40) ?? "",
    },
  };
}

/**
 * The form filled from an earlier batch: its titles and settings, checked like a stored draft (a retired or
 * now unavailable model, style or font falls back to the default). The budget is not carried over.
 */
export function valuesFromBatch(batch: BatchSettings, options: StudioOptions): DraftValues {
  const values = { ...batch, quality: batch.quality ?? "", budget: "" };
  return sanitizeDraft({ values, rev: 0, savedAt: 0 }, options)!.values;
}

function readJson(storage: StorageLike, key: string): unknown {
  try {
    const text = storage.getItem(key);
    return text === null ? null : (JSON.parse(text) as unknown);
  } catch {
    return null;
  }
}

/** The stored draft, or null (none, unreadable, or storage unavailable). */
export function loadDraft(storage: StorageLike, options: StudioOptions): Draft | null {
  return sanitizeDraft(readJson(storage, DRAFT_KEY), options);
}

/**
 * Stores the values as the next revision (or removes the draft when they are untouched) and returns
 * the revision saved, or null when nothing is stored. Storage that refuses (full, disabled) is not
 * an error for the form: the draft is a convenience.
 */
export function saveDraft(
  storage: StorageLike,
  values: DraftValues,
  options: StudioOptions,
  now = Date.now(),
): number | null {
  try {
    if (isUntouched(values, options)) {
      storage.removeItem(DRAFT_KEY);
      return null;
    }
    const previous = readJson(storage, DRAFT_KEY) as { rev?: unknown } | null;
    const rev = (Number.isSafeInteger(previous?.rev) ? (previous!.rev as number) : 0) + 1;
    const draft: Draft = { values, rev, savedAt: now };
    storage.setItem(DRAFT_KEY, JSON.stringify(draft));
    return rev;
  } catch {
    return null;
  }
}

/** Removes the draft (the person chose to start over). */
export function discardDraft(storage: StorageLike): void {
  try {
    storage.removeItem(DRAFT_KEY);
  } catch {
    // Nothing stored, or storage unavailable: nothing to discard.
  }
}

/** A valid submit of revision `rev` is on its way; its batch page will remove the draft. */
export function markSending(session: StorageLike, rev: number | null): void {
  try {
    if (rev === null) session.removeItem(SENDING_KEY);
    else session.setItem(SENDING_KEY, String(rev));
  } catch {
    // Without sessionStorage the draft simply stays until the person starts over.
  }
}

/** The submit came back refused: the draft stays. */
export function cancelSending(session: StorageLike): void {
  try {
    session.removeItem(SENDING_KEY);
  } catch {
    // See markSending.
  }
}

/**
 * On a batch page reached from the studio: removes the draft if it is still the revision that was sent
 * (a newer one, typed in another tab meanwhile, stays). True when a draft was removed.
 */
export function clearSentDraft(session: StorageLike, local: StorageLike): boolean {
  try {
    const sending = session.getItem(SENDING_KEY);
    if (sending === null) return false;
    session.removeItem(SENDING_KEY);
    const stored = readJson(local, DRAFT_KEY) as { rev?: unknown } | null;
    if (stored === null || String(stored.rev) !== sending) return false;
    local.removeItem(DRAFT_KEY);
    return true;
  } catch {
    return false;
  }
}
