/**
 * The owner-only batch controls of the HTTP API (cancel, retry, resume, resend, restyle), as the CLI and
 * tests call them: `Authorization: Bearer <token>` when a token is known, the server's refusal as data.
 */
import type { BatchDto } from "@/lib/batches/dto";
import { readError, request, studioHeaders, type FieldIssue, type SubmitOutcome } from "./batch-client";

export type ControlAction = "cancel" | "retry" | "resume" | "resend";

export type ControlOutcome =
  /**
   * `nextWave` (retry, resume, takes): the cells were queued for the batch's run at work, which makes
   * them once the cells under way have ended; false: a run was started for them; absent: not said.
   */
  | { ok: true; batch: BatchDto; count: number | null; nextWave?: boolean }
  /** retryAfterMs: from Retry-After, when the server says the same request will succeed later. */
  | { ok: false; status: number; error: string; issues: FieldIssue[]; retryAfterMs?: number };

/** The key under which each control reports how many cells it changed (cancel and resend report none). */
const COUNT_KEY: Partial<Record<ControlAction, string>> = { retry: "retried", resume: "resumed" };

const headers = (token: string | undefined): Record<string, string> => ({
  "content-type": "application/json",
  ...(token ? { authorization: `Bearer ${token}` } : {}),
});

/** POST a JSON body to one of a batch's owner routes, as its owner (token) with the studio password. */
function postToBatch(
  baseUrl: string,
  id: string,
  route: string,
  body: unknown,
  auth: { token?: string; studioPassword?: string },
): Promise<Response> {
  return request(new URL(`/api/batches/${id}/${route}`, baseUrl).toString(), {
    method: "POST",
    headers: { ...headers(auth.token), ...studioHeaders(auth.studioPassword) },
    body: JSON.stringify(body),
  });
}

export async function controlBatch(
  baseUrl: string,
  id: string,
  action: ControlAction,
  token?: string,
): Promise<ControlOutcome> {
  const res = await request(new URL(`/api/batches/${id}/${action}`, baseUrl).toString(), {
    method: "POST",
    headers: headers(token),
  });
  if (!res.ok) {
    const seconds = Number(res.headers.get("retry-after"));
    const later = Number.isFinite(seconds) && seconds > 0 ? { retryAfterMs: seconds * 1000 } : {};
    return { ok: false, status: res.status, ...(await readError(res)), ...later };
  }
  const body = (await res.json()) as { batch: BatchDto } & Record<string, unknown>;
  const key = COUNT_KEY[action];
  const count = key && typeof body[key] === "number" ? (body[key] as number) : null;
  const wave = typeof body.nextWave === "boolean" ? { nextWave: body.nextWave } : {};
  return { ok: true, batch: body.batch, count, ...wave };
}

/**
 * The owner's per-cell controls, behind the studio password like the studio (X-Studio-Password):
 * "takes" (new pictures of succeeded cells, paid calls, also while the batch runs; count: queued) and
 * "alternate" (each cell shows the other take `other` names, by id or position, default the first;
 * no call; count: swapped).
 */
export async function cellControl(
  baseUrl: string,
  id: string,
  action: "takes" | "alternate",
  cells: { promptIndex: number; model: string; other?: number | string }[],
  token?: string,
  studioPassword?: string,
): Promise<ControlOutcome> {
  const res = await postToBatch(baseUrl, id, action, { cells }, { token, studioPassword });
  if (!res.ok) return { ok: false, status: res.status, ...(await readError(res)) };
  const body = (await res.json()) as { batch: BatchDto; queued?: number; swapped?: number };
  return { ok: true, batch: body.batch, count: (action === "takes" ? body.queued : body.swapped) ?? null };
}

export interface RestyleRequest {
  template?: string;
  font?: string;
  canvas?: string;
  prompts?: string[];
}

/**
 * POST /api/batches/:id/restyle: a new batch (its own id and owner token) from this one's pictures.
 * It creates work, so a password-protected app also wants the studio password (X-Studio-Password).
 */
export async function restyleBatch(
  baseUrl: string,
  id: string,
  change: RestyleRequest,
  token?: string,
  studioPassword?: string,
): Promise<SubmitOutcome> {
  const res = await postToBatch(baseUrl, id, "restyle", change, { token, studioPassword });
  if (res.status === 201) {
    const created = (await res.json()) as { id: string; url: string; ownerToken: string; batch: BatchDto };
    return { ok: true, ...created };
  }
  return { ok: false, status: res.status, ...(await readError(res)) };
}
