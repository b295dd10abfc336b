import { ConfigError, normalizeFunction } from "./config";
import type { Core } from "./core";
import { errText } from "./log";
import { triggerHeldEvents } from "./events";
import { request, serverHeaders } from "./transport";
import type { AppDef } from "./types";

export interface RegisterResult {
  status: number;
  error?: string;
  modified: boolean;
}

/** Validates a register payload (in-band reply or POST /fn/register) and stores the app. */
export async function registerApp(core: Core, body: unknown, fallbackUrl?: string): Promise<RegisterResult> {
  const b = (body ?? {}) as { url?: unknown; appName?: unknown; app_id?: unknown; functions?: unknown };
  const url = typeof b.url === "string" && b.url ? b.url : fallbackUrl;
  const appId =
    typeof b.appName === "string" ? b.appName : typeof b.app_id === "string" ? b.app_id : undefined;
  if (!url || !appId)
    return { status: 400, error: "register payload needs url and appName/app_id", modified: false };
  if (!Array.isArray(b.functions))
    return { status: 400, error: "register payload needs a functions array", modified: false };
  let app: AppDef;
  try {
    app = {
      appId,
      url,
      functions: b.functions.map((f) => normalizeFunction(f, appId)),
      syncedAt: Date.now(),
    };
  } catch (err) {
    const msg = err instanceof ConfigError ? err.message : errText(err);
    core.log(`sync of app "${appId}" (${url}) rejected: ${msg}`);
    return { status: 400, error: msg, modified: false };
  }
  const prev = core.store.apps.get(url);
  const same =
    prev && prev.appId === app.appId && JSON.stringify(prev.functions) === JSON.stringify(app.functions);
  if (same) return { status: 200, modified: false };
  await core.commit({ t: "app", app });
  core.log(
    `synced app "${appId}" (${url}) with ${app.functions.length} functions: ${app.functions.map((f) => f.id).join(", ")}`,
  );
  const held = await triggerHeldEvents(core);
  if (held > 0) core.log(`${held} event(s) sent before the first sync now trigger their functions`);
  return { status: 200, modified: true };
}

/**
 * Syncs an app by URL: in-band PUT first (the SDK answers with its config); if the SDK does an
 * out-of-band sync instead, it calls our /fn/register while this PUT is open.
 */
export async function syncUrl(core: Core, url: string): Promise<RegisterResult> {
  const body = JSON.stringify({ url });
  const res = await request(
    "PUT",
    url,
    body,
    { "x-inngest-sync-kind": "in_band", ...serverHeaders(core.opts.keys, body) },
    30_000,
    core.caller.agents,
  );
  const kind = res.headers["x-inngest-sync-kind"];
  if (res.status === 200 && kind === "in_band") return registerApp(core, JSON.parse(res.body), url);
  if (res.status >= 200 && res.status < 300) return { status: 200, modified: false };
  let msg = `HTTP ${res.status}`;
  try {
    const j = JSON.parse(res.body) as { message?: string; error?: string };
    msg += `: ${j.message ?? j.error ?? res.body.slice(0, 200)}`;
  } catch {
    msg += `: ${res.body.slice(0, 200)}`;
  }
  if (res.status === 401)
    msg += core.opts.keys.signingKey
      ? " (the app refused the engine's signature: give both the same INNGEST_SIGNING_KEY)"
      : " (the app is in cloud mode: give the engine its INNGEST_SIGNING_KEY, or run the app with INNGEST_DEV)";
  throw new Error(msg);
}

const FIRST_RETRY_MS = 250;
const MAX_RETRY_MS = 2_000;

/** Periodic syncing with one log line per state change, not per tick. */
export class Syncer {
  private lastError = new Map<string, string>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly core: Core,
    private readonly urls: Set<string>,
  ) {}

  add(url: string): void {
    this.urls.add(url);
  }

  errors(): Record<string, string> {
    return Object.fromEntries(this.lastError);
  }

  async syncOne(url: string): Promise<RegisterResult> {
    this.urls.add(url);
    try {
      const r = await syncUrl(this.core, url);
      if (r.status !== 200) throw new Error(r.error ?? `status ${r.status}`);
      if (this.lastError.delete(url)) this.core.log(`app ${url} syncs again`);
      return r;
    } catch (err) {
      const msg = errText(err);
      if (this.lastError.get(url) !== msg) this.core.log(`could not sync app ${url}: ${msg} (will retry)`);
      this.lastError.set(url, msg);
      throw err;
    }
  }

  async syncAll(): Promise<void> {
    await Promise.all([...this.urls].map((u) => this.syncOne(u).catch(() => {})));
  }

  /**
   * Syncs now and then every `intervalMs`; while an app fails (typically: still starting) it is
   * retried sooner, from 250 ms doubling up to 2 s, so the first sync follows the app's start within
   * moments (events sent before it wait for it: see triggerHeldEvents).
   */
  start(intervalMs: number): void {
    let retryMs = FIRST_RETRY_MS;
    const round = () =>
      void this.syncAll().finally(() => {
        if (this.core.closed) return;
        let delay = intervalMs;
        if (this.lastError.size > 0) {
          delay = Math.min(intervalMs, retryMs);
          retryMs = Math.min(MAX_RETRY_MS, retryMs * 2);
        } else retryMs = FIRST_RETRY_MS;
        this.timer = setTimeout(round, delay);
      });
    round();
  }

  stop(): void {
    clearTimeout(this.timer);
  }
}
