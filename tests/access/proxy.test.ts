/** The proxy's answers per kind of path (the matcher itself is checked by tests/e2e/access.test.ts). */
import { NextRequest } from "next/server";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { signSession } from "@/lib/access";
import { endAllSessions, EPOCH_CACHE_MS, forgetSessionEpoch, sessionEpoch } from "@/lib/session-epoch";
import { signinPage } from "@/lib/signin-page";
import { proxy } from "@/proxy";
import { memoryDb } from "../helpers/memory-db";

const SECRET = "proxy-test-secret-0123456789";
const req = (path: string, init: { method?: string; headers?: Record<string, string> } = {}) =>
  new NextRequest(new URL(path, "http://studio.test"), init);
/** NextResponse.next() marks the request to go on with this header. */
const passes = (res: Response) => res.headers.get("x-middleware-next") === "1";

// The gate reads the session epoch from the database.
memoryDb();

beforeEach(() => {
  vi.stubEnv("APP_SECRET", SECRET);
  vi.stubEnv("ADMIN_TOKEN", "");
});
afterEach(() => vi.unstubAllEnvs());

describe("proxy", () => {
  it("lets everything through when STUDIO_PASSWORD is unset", async () => {
    vi.stubEnv("STUDIO_PASSWORD", "");
    for (const path of ["/", "/gallery", "/api/images"]) expect(passes(await proxy(req(path)))).toBe(true);
    expect(passes(await proxy(req("/api/batches", { method: "POST" })))).toBe(true);
  });

  describe("with STUDIO_PASSWORD", () => {
    beforeEach(() => vi.stubEnv("STUDIO_PASSWORD", "pw"));

    it("redirects signed-out pages to /signin with next (307 for reads, 303 for posts)", async () => {
      const read = await proxy(req("/gallery?model=a"));
      expect(read.status).toBe(307);
      expect(new URL(read.headers.get("location") as string).pathname).toBe("/signin");
      expect(new URL(read.headers.get("location") as string).searchParams.get("next")).toBe(
        "/gallery?model=a",
      );
      expect((await proxy(req("/", { method: "POST" }))).status).toBe(303);
    });

    it("answers gated APIs 401 JSON and a server action call 401 plain text", async () => {
      const api = await proxy(req("/api/batches", { method: "POST" }));
      expect(api.status).toBe(401);
      expect(((await api.json()) as { issues: unknown[] }).issues).toEqual([]);
      const action = await proxy(req("/", { method: "POST", headers: { "next-action": "abc" } }));
      expect([action.status, action.headers.get("content-type")]).toEqual([401, "text/plain"]);
      expect(await action.text()).toMatch(/session has ended/);
    });

    it("passes public paths and signed-in requests", async () => {
      for (const path of ["/b/abc", "/api/batches/abc", "/api/health", "/signin"])
        expect(passes(await proxy(req(path)))).toBe(true);
      const epoch = (await sessionEpoch()) ?? 0;
      const cookie = `studio_session=${signSession("pw", Buffer.from(SECRET), Date.now(), epoch)}`;
      expect(passes(await proxy(req("/gallery", { headers: { cookie } })))).toBe(true);
      expect(passes(await proxy(req("/api/images", { headers: { authorization: "Bearer pw" } })))).toBe(true);
      const stale = `studio_session=${signSession("old password", Buffer.from(SECRET), Date.now(), epoch)}`;
      expect((await proxy(req("/gallery", { headers: { cookie: stale } }))).status).toBe(307);
    });

    it("refuses every cookie signed before the sessions were ended, and passes those signed after", async () => {
      const signed = async () =>
        `studio_session=${signSession("pw", Buffer.from(SECRET), Date.now(), (await sessionEpoch()) ?? -1)}`;
      const before = await signed();
      // A copy of the cookie in another browser is the same string.
      expect(passes(await proxy(req("/gallery", { headers: { cookie: before } })))).toBe(true);
      const epoch = await endAllSessions();
      expect(epoch).toBeGreaterThan(0);
      expect((await proxy(req("/gallery", { headers: { cookie: before } }))).status).toBe(307);
      const after = await signed();
      expect(passes(await proxy(req("/gallery", { headers: { cookie: after } })))).toBe(true);
      // Another server of the deployment, whose cached epoch is older, reads the raised one from the database.
      forgetSessionEpoch();
      expect(await sessionEpoch()).toBe(epoch);
      expect(await sessionEpoch(Date.now() + EPOCH_CACHE_MS + 1)).toBe(epoch);
      // The password still passes: it is the credential, the cookie only remembers it.
      expect(passes(await proxy(req("/api/images", { headers: { "x-studio-password": "pw" } })))).toBe(true);
    });
  });
});

describe("signinPage", () => {
  it("escapes next and the error, and marks the field invalid only with an error", async () => {
    const html = await signinPage({ next: '/x"><script>', error: "<b>no</b>", status: 401 }).text();
    expect(html).toContain('value="/x&quot;&gt;&lt;script&gt;"');
    expect(html).toContain("&lt;b&gt;no&lt;/b&gt;");
    expect(html).toContain('aria-invalid="true" aria-describedby="password-error"');
    const clean = await signinPage({ next: "/" }).text();
    expect(clean).not.toContain('aria-invalid="true"');
    expect(clean).toContain('<label for="password">Studio password</label>');
  });
});

describe("proxy while the server stops", () => {
  afterEach(() => {
    delete (globalThis as Record<symbol, unknown>)[Symbol.for("thumbnail-studio.server-stop")];
  });

  it("closes each answer's connection, passed on, refused or redirected, so none holds the stop", async () => {
    const { stopServerStreams } = await import("@/lib/server-stop");
    vi.stubEnv("STUDIO_PASSWORD", "");
    expect((await proxy(req("/api/batches/b1"))).headers.get("connection")).toBeNull();
    stopServerStreams();
    expect((await proxy(req("/api/batches/b1"))).headers.get("connection")).toBe("close");
    vi.stubEnv("STUDIO_PASSWORD", "pw");
    const refused = await proxy(req("/api/batches", { method: "POST" }));
    expect(refused.status).toBe(401);
    expect(refused.headers.get("connection")).toBe("close");
    const redirected = await proxy(req("/gallery"));
    expect(redirected.status).toBe(307);
    expect(redirected.headers.get("connection")).toBe("close");
  });
});
