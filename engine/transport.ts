import http from "node:http";
import https from "node:https";
import { signRequest, type EngineKeys } from "./auth";
import type { Logger } from "./log";

export interface AppResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export class TransportError extends Error {
  override name = "TransportError";
}

export interface Agents {
  http: http.Agent;
  https: https.Agent;
}

export function createAgents(): Agents {
  return {
    http: new http.Agent({ keepAlive: true, maxSockets: 512 }),
    https: new https.Agent({ keepAlive: true, maxSockets: 512 }),
  };
}

/** One HTTP request; rejects with TransportError on connection-level failures and timeouts. */
export function request(
  method: string,
  url: string,
  body: string | undefined,
  headers: Record<string, string>,
  timeoutMs: number,
  agents?: Agents,
): Promise<AppResponse> {
  return new Promise((resolve, reject) => {
    const u = new URL(url);
    const mod = u.protocol === "https:" ? https : http;
    const req = mod.request(
      u,
      {
        method,
        agent: agents ? (u.protocol === "https:" ? agents.https : agents.http) : undefined,
        headers: {
          ...headers,
          ...(body !== undefined
            ? { "content-type": "application/json", "content-length": String(Buffer.byteLength(body)) }
            : {}),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString("utf8"),
          }),
        );
        res.on("error", (e) => reject(new TransportError(`response aborted: ${e.message}`)));
      },
    );
    req.setTimeout(timeoutMs, () => req.destroy(new TransportError(`no response within ${timeoutMs}ms`)));
    req.on("error", (e: NodeJS.ErrnoException) => {
      reject(e instanceof TransportError ? e : new TransportError(`${e.code ?? e.name}: ${e.message}`));
    });
    if (body !== undefined) req.write(body);
    req.end();
  });
}

/**
 * Headers that tell the SDK who calls it: as Inngest Cloud (`cloud`, with `X-Inngest-Signature` over
 * this exact body, fresh per try because the SDK refuses signatures older than 5 minutes) when the
 * engine has a signing key, else as a dev server.
 */
export function serverHeaders(keys: EngineKeys, body: string): Record<string, string> {
  if (!keys.signingKey) return { "x-inngest-server-kind": "dev" };
  return { "x-inngest-server-kind": "cloud", "x-inngest-signature": signRequest(body, keys.signingKey) };
}

/**
 * Calls the app, retrying connection-level failures (refused, reset, app restarting) with a
 * capped backoff for up to `windowMs` without counting them as step attempts. Logs the first
 * failure per origin and the recovery, not every try.
 */
export class AppCaller {
  private down = new Map<string, { since: number }>();
  private closed = false;
  readonly agents = createAgents();

  constructor(
    private readonly log: Logger,
    private readonly windowMs: number,
    private readonly callTimeoutMs: number,
    private readonly keys: EngineKeys = {},
  ) {}

  close(): void {
    this.closed = true;
    this.agents.http.destroy();
    this.agents.https.destroy();
  }

  /**
   * `makeBody` is called before every try so a retried call carries the latest state (results
   * checkpointed by an execution that lost its connection are not run again); returning
   * undefined abandons the call (run finished meanwhile).
   */
  async post(
    url: string,
    makeBody: () => string | undefined,
    headers: Record<string, string>,
  ): Promise<AppResponse> {
    const origin = new URL(url).origin;
    const start = Date.now();
    let delay = 100;
    for (;;) {
      if (this.closed) throw new TransportError("engine shutting down");
      const body = makeBody();
      if (body === undefined) throw new TransportError("call abandoned");
      try {
        const res = await request(
          "POST",
          url,
          body,
          { ...headers, ...serverHeaders(this.keys, body) },
          this.callTimeoutMs,
          this.agents,
        );
        // A reply the SDK did not produce (a dev server still compiling the route, a proxy's 502)
        // means the app is not ready: wait like for a refused connection instead of burning attempts.
        const fromSdk =
          res.headers["x-inngest-sdk"] !== undefined || res.headers["x-inngest-sdk-handled"] !== undefined;
        if (!fromSdk && Date.now() - start <= this.windowMs)
          throw new TransportError(`HTTP ${res.status} not from the Inngest SDK`);
        const d = this.down.get(origin);
        if (d) {
          this.down.delete(origin);
          this.log(`app ${origin} reachable again after ${Math.round((Date.now() - d.since) / 1000)}s`);
        }
        return res;
      } catch (err) {
        if (!(err instanceof TransportError) || /no response within/.test(err.message)) throw err;
        if (Date.now() - start > this.windowMs) throw err;
        if (!this.down.has(origin)) {
          this.down.set(origin, { since: Date.now() });
          this.log(
            `app ${origin} unreachable (${err.message}); retrying calls every <=2s for up to ${Math.round(this.windowMs / 1000)}s`,
          );
        }
        await new Promise((r) => setTimeout(r, delay));
        delay = Math.min(2000, delay * 2);
      }
    }
  }
}
