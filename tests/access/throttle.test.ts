/** The ceiling on wrong studio passwords: the window itself, the gate's decision, the proxy and the sign-in form. */
import { NextRequest } from "next/server";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { accessDecision, adminTokenDecision, signSession } from "@/lib/access";
import {
  clientAddressHeader,
  clientAddressHeaderProblem,
  FAILED_PASSWORDS_PER_MINUTE,
  FAILED_PASSWORDS_PER_MINUTE_ALL,
  PasswordThrottle,
  passwordThrottle,
} from "@/lib/access-throttle";
import { proxy } from "@/proxy";
import { POST as signIn } from "@/app/signin/route";
import { manageDecision, ownerToken } from "@/lib/batches/owner";
import { checkAdmin } from "@/lib/gallery/delete";
import { memoryDb } from "../helpers/memory-db";

const SECRET = Buffer.from("throttle-test-secret-0123456789");
const t0 = Date.UTC(2026, 10, 21, 12);
const h = (init: Record<string, string> = {}) => new Headers(init);

// The gate reads the session epoch from the database.
memoryDb();

describe("PasswordThrottle", () => {
  it("allows `limit` failures a minute, then says when the oldest of them leaves the window", () => {
    const throttle = new PasswordThrottle(3);
    for (let i = 0; i < 3; i++) {
      expect(throttle.waitMs(t0 + i * 1000)).toBe(0);
      throttle.fail(t0 + i * 1000);
    }
    expect(throttle.waitMs(t0 + 2000)).toBe(58_000);
    expect(throttle.waitMs(t0 + 59_999)).toBe(1);
    expect(throttle.waitMs(t0 + 60_000)).toBe(0);
    throttle.fail(t0 + 60_000);
    expect(throttle.waitMs(t0 + 60_000)).toBe(1000);
  });
});

describe("accessDecision with a throttle", () => {
  const throttle = new PasswordThrottle(2);
  const config = { password: "pw", secret: SECRET, adminToken: "admin", throttle };

  it("counts wrong passwords and tokens, then refuses to check even the right one until the wait is over", () => {
    expect(accessDecision(h({ "x-studio-password": "guess" }), null, config, t0)).toEqual({
      granted: false,
      retryAfterMs: 0,
    });
    expect(accessDecision(h({ authorization: "Bearer guess" }), null, config, t0 + 10)).toEqual({
      granted: false,
      retryAfterMs: 0,
    });
    expect(accessDecision(h({ "x-studio-password": "pw" }), null, config, t0 + 20)).toEqual({
      granted: false,
      retryAfterMs: 59_980,
    });
    // The first failure leaves the window a minute after it was counted.
    const admin = h({ authorization: "Bearer admin" });
    expect(accessDecision(admin, null, config, t0 + 59_999)).toEqual({ granted: false, retryAfterMs: 1 });
    expect(accessDecision(admin, null, config, t0 + 60_000).granted).toBe(true);
  });

  it("never throttles a signed-in browser or a request that sends no password", () => {
    const locked = new PasswordThrottle(1);
    locked.fail(t0);
    const cfg = { ...config, throttle: locked };
    const cookie = signSession("pw", SECRET, t0);
    expect(accessDecision(h({ "x-studio-password": "x" }), cookie, cfg, t0).granted).toBe(true);
    expect(accessDecision(h(), null, cfg, t0)).toEqual({ granted: false, retryAfterMs: 0 });
  });
});

/** The process's windows as a new process has them (each test below fails many passwords at t0). */
function freshWindows() {
  delete (globalThis as Record<symbol, unknown>)[Symbol.for("thumbnail-studio.password-throttle-windows")];
}

/** Each test at t0 on the process's own throttle window, with the app secret and `env` set. */
function inTheProcessWindow(env: Record<string, string>) {
  beforeEach(() => {
    vi.useFakeTimers({ now: t0, toFake: ["Date"] });
    vi.stubEnv("APP_SECRET", SECRET.toString());
    for (const [name, value] of Object.entries(env)) vi.stubEnv(name, value);
  });
  afterEach(() => {
    vi.setSystemTime(t0 + 10 * 60_000); // past the window, for whatever runs next in this process
    vi.useRealTimers();
    vi.unstubAllEnvs();
  });
}

describe("the proxy and the sign-in form share the process's window", () => {
  inTheProcessWindow({ ADMIN_TOKEN: "", STUDIO_PASSWORD: "pw" });

  const form = (password: string) =>
    signIn(
      new Request("http://studio.test/signin", {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", "sec-fetch-site": "same-origin" },
        body: new URLSearchParams({ password, next: "/gallery" }),
      }),
    );

  it("answers 429 with Retry-After once too many passwords were wrong, and lets the right one in after", async () => {
    expect(passwordThrottle().waitMs()).toBe(0);
    for (let i = 0; i < FAILED_PASSWORDS_PER_MINUTE - 1; i++)
      expect((await form(`guess ${i}`)).status).toBe(401);
    const api = await proxy(
      new NextRequest("http://studio.test/api/images", { headers: { "x-studio-password": "last guess" } }),
    );
    expect(api.status).toBe(401);

    const refused = await form("pw");
    expect([refused.status, refused.headers.get("retry-after")]).toEqual([429, "60"]);
    expect(await refused.text()).toContain(
      "Too many wrong studio passwords or admin tokens in the last minute: try again in 60 s.",
    );
    const apiRefused = await proxy(
      new NextRequest("http://studio.test/api/images", { headers: { authorization: "Bearer pw" } }),
    );
    expect([apiRefused.status, apiRefused.headers.get("retry-after")]).toEqual([429, "60"]);
    expect(((await apiRefused.json()) as { error: string }).error).toMatch(/try again in 60 s/);

    vi.setSystemTime(t0 + 60_001);
    expect((await form("pw")).status).toBe(303);
  });
});

describe("ADMIN_TOKEN, wherever it is taken", () => {
  it("is compared whatever the lengths, and only guesses of a configured token count", () => {
    const throttle = new PasswordThrottle(2);
    expect(adminTokenDecision("admin", "admin", throttle, t0)).toEqual({ granted: true });
    expect(adminTokenDecision("admin-and-more", "admin", throttle, t0)).toEqual({
      granted: false,
      retryAfterMs: 0,
    });
    // No token sent, or none configured: nothing to guess, nothing counted.
    expect(adminTokenDecision(null, "admin", throttle, t0).granted).toBe(false);
    expect(adminTokenDecision("guess", null, throttle, t0).granted).toBe(false);
    expect(throttle.waitMs(t0)).toBe(0);
    expect(adminTokenDecision("adm", "admin", throttle, t0).granted).toBe(false);
    expect(adminTokenDecision("admin", "admin", throttle, t0)).toEqual({
      granted: false,
      retryAfterMs: 60_000,
    });
  });

  describe("through the public owner routes and gallery deletion, in the process's window", () => {
    inTheProcessWindow({ ADMIN_TOKEN: "the-admin-token", APP_MODE: "production" });

    const bearer = (token: string) => new Headers({ authorization: `Bearer ${token}` });

    it("counts wrong bearers as guesses, then checks not even the right token until the window has passed", () => {
      const id = "some-batch-id";
      expect(manageDecision(id, bearer("the-admin-token"), undefined)).toEqual({ granted: true });
      for (let i = 0; i < FAILED_PASSWORDS_PER_MINUTE / 2; i++) {
        expect(manageDecision(id, bearer(`guess ${i}`), undefined).granted).toBe(false);
        expect(checkAdmin(bearer(`other guess ${i}`))).toMatchObject({ ok: false, status: 403 });
      }
      expect(manageDecision(id, bearer("the-admin-token"), undefined)).toEqual({
        granted: false,
        retryAfterMs: 60_000,
      });
      expect(checkAdmin(bearer("the-admin-token"))).toMatchObject({
        ok: false,
        status: 429,
        retryAfterMs: 60_000,
        error: "Too many wrong studio passwords or admin tokens in the last minute: try again in 60 s.",
      });
      // The batch's own token is no guess: its owner is never held up.
      expect(manageDecision(id, bearer(ownerToken(id)), undefined)).toEqual({ granted: true });
      expect(manageDecision(id, new Headers(), ownerToken(id))).toEqual({ granted: true });

      vi.setSystemTime(t0 + 60_000);
      expect(checkAdmin(bearer("the-admin-token"))).toEqual({ ok: true });
    });
  });
});

describe("behind a proxy that names the client's address (CLIENT_IP_HEADER)", () => {
  inTheProcessWindow({ ADMIN_TOKEN: "", STUDIO_PASSWORD: "pw", CLIENT_IP_HEADER: "X-Real-IP" });
  beforeEach(freshWindows);

  const form = (password: string, address?: string) =>
    signIn(
      new Request("http://studio.test/signin", {
        method: "POST",
        headers: {
          "content-type": "application/x-www-form-urlencoded",
          "sec-fetch-site": "same-origin",
          ...(address ? { "x-real-ip": address } : {}),
        },
        body: new URLSearchParams({ password, next: "/gallery" }),
      }),
    );

  it("holds off only the address that guessed: another signs in, through the form or the API", async () => {
    for (let i = 0; i < FAILED_PASSWORDS_PER_MINUTE; i++)
      expect((await form(`guess ${i}`, "203.0.113.7")).status).toBe(401);
    expect((await form("pw", "203.0.113.7")).status).toBe(429);
    expect((await form("pw", "198.51.100.2")).status).toBe(303);
    const other = await proxy(
      new NextRequest("http://studio.test/api/images", {
        headers: { authorization: "Bearer pw", "x-real-ip": "198.51.100.2" },
      }),
    );
    expect(other.status).not.toBe(429);
    vi.setSystemTime(t0 + 60_001);
    expect((await form("pw", "203.0.113.7")).status).toBe(303);
  });

  it("stops every address once all of them together reach the ceiling", () => {
    for (let i = 0; i < FAILED_PASSWORDS_PER_MINUTE_ALL; i++)
      passwordThrottle(h({ "x-real-ip": `192.0.2.${i % 250}, 10.0.0.1` })).fail();
    expect(passwordThrottle(h({ "x-real-ip": "198.51.100.9" })).waitMs()).toBe(60_000);
  });

  it("shares one window among requests that name no address", () => {
    for (let i = 0; i < FAILED_PASSWORDS_PER_MINUTE; i++) passwordThrottle(h()).fail();
    expect(passwordThrottle(h()).waitMs()).toBe(60_000);
    expect(passwordThrottle(h({ "x-real-ip": "198.51.100.3" })).waitMs()).toBe(0);
  });
});

describe("without a trusted proxy", () => {
  inTheProcessWindow({ STUDIO_PASSWORD: "pw" });
  beforeEach(freshWindows);

  it("ignores an address a client sends itself: every caller shares the window", () => {
    vi.stubEnv("CLIENT_IP_HEADER", "");
    vi.stubEnv("VERCEL", "");
    for (let i = 0; i < FAILED_PASSWORDS_PER_MINUTE; i++)
      passwordThrottle(h({ "x-real-ip": `192.0.2.${i}`, "x-forwarded-for": `192.0.2.${i}` })).fail();
    expect(passwordThrottle(h({ "x-real-ip": "198.51.100.4" })).waitMs()).toBe(60_000);
  });

  it("takes x-real-ip on Vercel, which sets it itself", () => {
    expect(clientAddressHeader({ VERCEL: "1" })).toBe("x-real-ip");
    expect(clientAddressHeader({ VERCEL: "1", CLIENT_IP_HEADER: "CF-Connecting-IP" })).toBe(
      "cf-connecting-ip",
    );
    expect(clientAddressHeader({})).toBeNull();
    expect(clientAddressHeaderProblem({ CLIENT_IP_HEADER: "x real ip" })).toMatch(
      /must be an HTTP header name/,
    );
    expect(clientAddressHeaderProblem({ CLIENT_IP_HEADER: "x-real-ip" })).toBeNull();
  });
});
