import * as crypto from "node:crypto";
import { afterEach, describe, expect, it, vi } from "vitest";
import {
  bearerToken,
  classifyPath,
  cookieValue,
  hasAccess,
  isHttps,
  PASSWORD_HEADER,
  safeNext,
  sameText,
  SESSION_MAX_AGE_S,
  signinPath,
  signSession,
  studioPassword,
  studioPasswordProblem,
  unauthorizedResponse,
  verifySession,
} from "@/lib/access";
import { settingsProblems } from "@/lib/settings";

vi.mock("node:crypto", async (importOriginal) => {
  const real = await importOriginal<typeof import("node:crypto")>();
  return { ...real, timingSafeEqual: vi.fn(real.timingSafeEqual) };
});

const secret = Buffer.from("0123456789abcdef0123456789abcdef");
const now = Date.UTC(2026, 10, 21, 12);
const h = (init: Record<string, string> = {}) => new Headers(init);

afterEach(() => vi.mocked(crypto.timingSafeEqual).mockClear());

describe("classifyPath", () => {
  const table: [method: string, path: string, expected: string][] = [
    ["GET", "/", "page"],
    ["POST", "/", "page"],
    ["GET", "/gallery", "page"],
    // The list of every batch is behind the password; one batch's page (/b/<id>) is the shared result.
    ["GET", "/batches", "page"],
    ["GET", "/some/unknown/page", "page"],
    ["GET", "/b/abc123", "public"],
    ["POST", "/b/abc123", "public"],
    ["GET", "/b/abc123/extra", "page"],
    ["GET", "/signin", "public"],
    ["POST", "/signin", "public"],
    ["POST", "/signout", "public"],
    ["GET", "/_next/static/chunks/app.js", "public"],
    ["GET", "/_next/image", "public"],
    ["GET", "/fonts/Inter.woff", "public"],
    ["GET", "/favicon.ico", "public"],
    ["GET", "/icon.svg", "public"],
    ["POST", "/api/batches", "api"],
    ["GET", "/api/batches", "api"],
    ["GET", "/api/batches/abc", "public"],
    ["HEAD", "/api/batches/abc", "public"],
    ["GET", "/api/batches/abc/", "public"],
    ["DELETE", "/api/batches/abc", "api"],
    ["GET", "/api/batches/abc/events", "public"],
    ["GET", "/api/batches/abc/contact-sheet", "public"],
    ["GET", "/api/batches/abc/zip", "public"],
    ["POST", "/api/batches/abc/cancel", "public"],
    ["POST", "/api/batches/abc/retry", "public"],
    ["POST", "/api/batches/abc/resume", "public"],
    ["POST", "/api/batches/abc/resend", "public"],
    ["POST", "/api/batches/abc/restyle", "api"],
    ["GET", "/api/images", "api"],
    ["DELETE", "/api/images", "api"],
    ["GET", "/api/images/zip", "api"],
    ["POST", "/api/images/zip", "api"],
    ["POST", "/api/images/delete", "api"],
    ["GET", "/api/preview", "api"],
    ["GET", "/api/download/cell-1", "public"],
    ["GET", "/api/blob/final/b/0-m.jpg", "public"],
    ["GET", "/api/health", "public"],
    ["PUT", "/api/inngest", "public"],
    ["POST", "/api/inngest", "public"],
    ["GET", "/api/new-thing", "api"],
    ["GET", "/api", "api"],
  ];
  it.each(table)("%s %s → %s", (method, path, expected) => {
    expect(classifyPath(method, path)).toBe(expected);
  });
});

describe("session cookie", () => {
  it("verifies what it signed, until it expires", () => {
    const value = signSession("hunter2", secret, now);
    expect(value).toMatch(/^\d+\.[A-Za-z0-9_-]{43}$/);
    expect(verifySession(value, "hunter2", secret, now)).toBe(true);
    expect(verifySession(value, "hunter2", secret, now + (SESSION_MAX_AGE_S - 1) * 1000)).toBe(true);
    expect(verifySession(value, "hunter2", secret, now + SESSION_MAX_AGE_S * 1000 + 1000)).toBe(false);
  });

  it("a changed password or app secret signs everyone out", () => {
    const value = signSession("hunter2", secret, now);
    expect(verifySession(value, "hunter3", secret, now)).toBe(false);
    expect(verifySession(value, "hunter2", Buffer.from("another secret, 32 bytes long..."), now)).toBe(false);
  });

  it("refuses forged, extended or malformed values", () => {
    const value = signSession("hunter2", secret, now);
    const [expires, mac] = value.split(".") as [string, string];
    expect(verifySession(`${Number(expires) + 86400}.${mac}`, "hunter2", secret, now)).toBe(false);
    const flipped = `${expires}.${mac.slice(0, -1)}${mac.endsWith("A") ? "B" : "A"}`;
    expect(verifySession(flipped, "hunter2", secret, now)).toBe(false);
    for (const bad of [undefined, null, "", "abc", `${expires}`, `${expires}.`, `x.${mac}`, `${value}.x`]) {
      expect(verifySession(bad, "hunter2", secret, now)).toBe(false);
    }
  });

  it("compares the MAC in constant time", () => {
    const value = signSession("hunter2", secret, now);
    verifySession(value, "hunter2", secret, now);
    expect(crypto.timingSafeEqual).toHaveBeenCalledTimes(1);
  });
});

describe("sameText", () => {
  it("matches exact text only, through timingSafeEqual whatever the lengths", () => {
    expect(sameText("pw", "pw")).toBe(true);
    expect(sameText("pw", "pw ")).toBe(false);
    expect(sameText("", "pw")).toBe(false);
    expect(sameText("a much longer guess than the password", "pw")).toBe(false);
    expect(crypto.timingSafeEqual).toHaveBeenCalledTimes(4);
  });
});

describe("hasAccess", () => {
  const config = { password: "hunter2", secret, adminToken: "admin-token-123" };

  it("is open when no password is set", () => {
    expect(hasAccess(h(), null, { password: null, secret })).toBe(true);
  });

  it("takes the cookie, the bearer, the X-Studio-Password header or the admin token", () => {
    expect(hasAccess(h(), null, config, now)).toBe(false);
    expect(hasAccess(h(), signSession("hunter2", secret, now), config, now)).toBe(true);
    expect(hasAccess(h({ authorization: "Bearer hunter2" }), null, config, now)).toBe(true);
    expect(hasAccess(h({ authorization: "bearer   hunter2 " }), null, config, now)).toBe(true);
    expect(hasAccess(h({ [PASSWORD_HEADER]: "hunter2" }), null, config, now)).toBe(true);
    expect(hasAccess(h({ authorization: "Bearer admin-token-123" }), null, config, now)).toBe(true);
  });

  it("refuses wrong credentials, and an owner token in Authorization does not hide the header", () => {
    expect(hasAccess(h({ authorization: "Bearer hunter3" }), null, config, now)).toBe(false);
    expect(hasAccess(h({ authorization: "Basic aHVudGVyMg==" }), null, config, now)).toBe(false);
    expect(hasAccess(h({ [PASSWORD_HEADER]: "nope" }), null, config, now)).toBe(false);
    expect(hasAccess(h(), signSession("old", secret, now), config, now)).toBe(false);
    const both = h({ authorization: "Bearer owner-token", [PASSWORD_HEADER]: "hunter2" });
    expect(hasAccess(both, null, config, now)).toBe(true);
    expect(hasAccess(h({ authorization: "Bearer x" }), null, { ...config, adminToken: null }, now)).toBe(
      false,
    );
  });
});

describe("header parsing", () => {
  it("reads the bearer token and one cookie", () => {
    expect(bearerToken(h({ authorization: "Bearer  abc " }))).toBe("abc");
    expect(bearerToken(h({ authorization: "Bearer" }))).toBeNull();
    expect(bearerToken(h())).toBeNull();
    const cookies = h({ cookie: "owner_x=1; studio_session=12.ab=c; other=2" });
    expect(cookieValue(cookies, "studio_session")).toBe("12.ab=c");
    expect(cookieValue(cookies, "session")).toBeNull();
    expect(cookieValue(h(), "studio_session")).toBeNull();
  });

  it("trims STUDIO_PASSWORD and treats blank as unset", () => {
    expect(studioPassword({ STUDIO_PASSWORD: " pw \n" })).toBe("pw");
    expect(studioPassword({ STUDIO_PASSWORD: "" })).toBeNull();
    expect(studioPassword({})).toBeNull();
  });

  it("refuses a STUDIO_PASSWORD of only spaces at start, and never lets it open the gate", () => {
    expect(studioPasswordProblem({ STUDIO_PASSWORD: " \t " })).toMatch(
      /^STUDIO_PASSWORD is set to only spaces/,
    );
    expect(settingsProblems({ STUDIO_PASSWORD: "  " })).toEqual([
      studioPasswordProblem({ STUDIO_PASSWORD: "  " }),
    ]);
    for (const fine of [undefined, "", " pw "])
      expect(studioPasswordProblem({ STUDIO_PASSWORD: fine })).toBeNull();
    // A server started without npm start's check still keeps the studio shut.
    const password = studioPassword({ STUDIO_PASSWORD: "  " });
    expect(password).toBe("  ");
    const headers = new Headers({ "x-studio-password": "  " });
    expect(hasAccess(headers, null, { password, secret })).toBe(false);
    expect(hasAccess(new Headers(), null, { password, secret })).toBe(false);
  });

  it("knows https behind a proxy", () => {
    expect(isHttps(h({ "x-forwarded-proto": "https" }), "http://127.0.0.1:3000/signin")).toBe(true);
    expect(isHttps(h({ "x-forwarded-proto": "https, http" }), "http://x/")).toBe(true);
    expect(isHttps(h({ "x-forwarded-proto": "http" }), "https://x/")).toBe(false);
    expect(isHttps(h(), "https://studio.example/signin")).toBe(true);
    expect(isHttps(h(), "http://127.0.0.1/signin")).toBe(false);
  });
});

describe("safeNext", () => {
  it.each([
    ["/gallery?model=a&x=1#top", "/gallery?model=a&x=1#top"],
    ["/b/abc", "/b/abc"],
    ["/", "/"],
    ["/a/../gallery", "/gallery"],
    [null, "/"],
    ["", "/"],
    ["gallery", "/"],
    ["https://evil.example/", "/"],
    ["//evil.example/", "/"],
    ["/\\evil.example", "/"],
    ["/%0d%0aSet-Cookie:x", "/%0d%0aSet-Cookie:x"],
    ["/\r\nx", "/"],
    ["javascript:alert(1)", "/"],
    ["/signin?next=/gallery", "/"],
    ["/signout", "/"],
    [`/${"a".repeat(3000)}`, "/"],
  ])("%s → %s", (raw, expected) => {
    expect(safeNext(raw)).toBe(expected);
  });

  it("builds the sign-in address with next encoded", () => {
    expect(signinPath("/gallery?model=a&b=c")).toBe("/signin?next=%2Fgallery%3Fmodel%3Da%26b%3Dc");
    expect(signinPath("//evil")).toBe("/signin?next=%2F");
  });
});

describe("unauthorizedResponse", () => {
  it("is the API's error shape with a message naming the header", async () => {
    const res = unauthorizedResponse();
    expect(res.status).toBe(401);
    expect(res.headers.get("www-authenticate")).toMatch(/^Bearer/);
    const body = (await res.json()) as { error: string; issues: unknown[] };
    expect(body.issues).toEqual([]);
    expect(body.error).toContain("Authorization: Bearer <STUDIO_PASSWORD>");
    expect(body.error).toContain("X-Studio-Password");
  });
});
