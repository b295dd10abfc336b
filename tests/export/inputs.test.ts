import { describe, expect, it } from "vitest";
import { parseZipIds, parseZipIdsQuery } from "@/lib/export/ids-input";
import { configuredOrigin, siteOrigin } from "@/lib/export/origin";

const headers = (h: Record<string, string>) => new Headers(h);

describe("siteOrigin", () => {
  it("prefers APP_URL, then the forwarded host and protocol, then Host", () => {
    const forwarded = headers({
      host: "internal:3000",
      "x-forwarded-host": "thumbs.example, proxy",
      "x-forwarded-proto": "https",
    });
    expect(siteOrigin(forwarded, { APP_URL: "https://app.example/some/path" })).toBe("https://app.example");
    expect(siteOrigin(forwarded, {})).toBe("https://thumbs.example");
    expect(siteOrigin(headers({ host: "127.0.0.1:4000" }), {})).toBe("http://127.0.0.1:4000");
    expect(siteOrigin(headers({ host: "[::1]:4000" }), {})).toBe("http://[::1]:4000");
  });

  it("ignores malformed values instead of echoing them into pages", () => {
    expect(configuredOrigin({ APP_URL: "not a url" })).toBeNull();
    expect(configuredOrigin({ APP_URL: "javascript:alert(1)" })).toBeNull();
    expect(siteOrigin(headers({ host: 'evil.example"><script>' }), {})).toBeNull();
    expect(siteOrigin(headers({ host: "a.example", "x-forwarded-proto": "gopher" }), {})).toBe(
      "http://a.example",
    );
    expect(siteOrigin(headers({}), {})).toBeNull();
  });
});

describe("selection ids", () => {
  it("reads ids=a,b,c and repeated ids, de-duplicated", () => {
    expect(parseZipIdsQuery(new URLSearchParams("ids=a,b,,c&ids=a"))).toEqual({
      ok: true,
      ids: ["a", "b", "c"],
    });
  });

  it("names the field at fault", () => {
    expect(parseZipIdsQuery(new URLSearchParams(""))).toMatchObject({ ok: false, issues: [{ path: "ids" }] });
    expect(parseZipIds({ ids: [] })).toMatchObject({
      ok: false,
      issues: [{ path: "ids", message: "ids must name at least one image" }],
    });
    expect(parseZipIds({ ids: ["ok", "../etc/passwd"] })).toMatchObject({
      ok: false,
      issues: [{ path: "ids.1" }],
    });
    expect(parseZipIds({ ids: "a,b" })).toMatchObject({ ok: false, issues: [{ path: "ids" }] });
    const tooMany = parseZipIds({ ids: Array.from({ length: 501 }, (_, i) => `id${i}`) });
    expect(tooMany).toMatchObject({
      ok: false,
      issues: [{ path: "ids", message: "ids may name at most 500 images" }],
    });
    expect(parseZipIds({ ids: Array.from({ length: 500 }, (_, i) => `id${i}`) }).ok).toBe(true);
  });
});
