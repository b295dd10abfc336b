/** The proxy's answers per kind of path (the matcher itself is checked by tests/e2e/access.test.ts). */
import { NextRequest } from "next/server";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { signSession } from "@/lib/access";
import { signinPage } from "@/lib/signin-page";
import { proxy } from "@/proxy";

const SECRET = "proxy-test-secret-0123456789";
const req = (path: string, init: { method?: string; headers?: Record<string, string> } = {}) =>
  new NextRequest(new URL(path, "http://studio.test"), init);
/** NextResponse.next() marks the request to go on with this header. */
const passes = (res: Response) => res.headers.get("x-middleware-next") === "1";

beforeEach(() => {
  vi.stubEnv("APP_SECRET", SECRET);
  vi.stubEnv("ADMIN_TOKEN", "");
});
afterEach(() => vi.unstubAllEnvs());

describe("proxy", () => {
  it("lets everything through when STUDIO_PASSWORD is unset", () => {
    vi.stubEnv("STUDIO_PASSWORD", "");
    for (const path of ["/", "/gallery", "/api/images"]) expect(passes(proxy(req(path)))).toBe(true);
    expect(passes(proxy(req("/api/batches", { method: "POST" })))).toBe(true);
  });

  describe("with STUDIO_PASSWORD", () => {
    beforeEach(() => vi.stubEnv("STUDIO_PASSWORD", "pw"));

    it("redirects signed-out pages to /signin with next (307 for reads, 303 for posts)", () => {
      const read = proxy(req("/gallery?model=a"));
      expect(read.status).toBe(307);
      expect(new URL(read.headers.get("location") as string).pathname).toBe("/signin");
      expect(new URL(read.headers.get("location") as string).searchParams.get("next")).toBe(
        "/gallery?model=a",
      );
      expect(proxy(req("/", { method: "POST" })).status).toBe(303);
    });

    it("answers gated APIs 401 JSON and a server action call 401 plain text", async () => {
      const api = proxy(req("/api/batches", { method: "POST" }));
      expect(api.status).toBe(401);
      expect(((await api.json()) as { issues: unknown[] }).issues).toEqual([]);
      const action = proxy(req("/", { method: "POST", headers: { "next-action": "abc" } }));
      expect([action.status, action.headers.get("content-type")]).toEqual([401, "text/plain"]);
      expect(await action.text()).toMatch(/session has ended/);
    });

    it("passes public paths and signed-in requests", () => {
      for (const path of ["/b/abc", "/api/batches/abc", "/api/health", "/signin"])
        expect(passes(proxy(req(path)))).toBe(true);
      const cookie = `studio_session=${signSession("pw", Buffer.from(SECRET))}`;
      expect(passes(proxy(req("/gallery", { headers: { cookie } })))).toBe(true);
      expect(passes(proxy(req("/api/images", { headers: { authorization: "Bearer pw" } })))).toBe(true);
      const stale = `studio_session=${signSession("old password", Buffer.from(SECRET))}`;
      expect(proxy(req("/gallery", { headers: { cookie: stale } })).status).toBe(307);
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
    expect(proxy(req("/api/batches/b1")).headers.get("connection")).toBeNull();
    stopServerStreams();
    expect(proxy(req("/api/batches/b1")).headers.get("connection")).toBe("close");
    vi.stubEnv("STUDIO_PASSWORD", "pw");
    const refused = proxy(req("/api/batches", { method: "POST" }));
    expect(refused.status).toBe(401);
    expect(refused.headers.get("connection")).toBe("close");
    const redirected = proxy(req("/gallery"));
    expect(redirected.status).toBe(307);
    expect(redirected.headers.get("connection")).toBe("close");
  });
});
