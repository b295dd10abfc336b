import { describe, expect, it, vi } from "vitest";
import { notFound, redirect } from "next/navigation";
import { ownerToken } from "@/lib/batches/owner";
import { apiRoute, bytesResponse, notAllowed, notModified, readJson } from "@/lib/http";

const withTag = (value?: string) =>
  new Request(
    "http://studio.test/api/blob/x",
    value === undefined ? {} : { headers: { "if-none-match": value } },
  );

describe("If-None-Match", () => {
  const etag = '"abc123"';

  it("matches the tag, weakly, in a list, or any tag", () => {
    // Caches and proxies send these forms; only an exact single tag matched before.
    for (const header of ['"abc123"', 'W/"abc123"', '"other", "abc123"', '"x",W/"abc123"', "*"])
      expect(notModified(withTag(header), etag), header).toBe(true);
  });

  it("does not match another tag, or no header", () => {
    for (const header of ['"abc124"', 'W/"abc"', '"abc123', ""])
      expect(notModified(withTag(header), etag), header).toBe(false);
    expect(notModified(withTag(), etag)).toBe(false);
  });
});

describe("JSON bodies", () => {
  const send = (type: string) =>
    readJson(
      new Request("http://studio.test/api/batches", {
        method: "POST",
        headers: { "content-type": type },
        body: "{}",
      }),
    );

  it("takes application/json with parameters, in any case, and JSON subtypes", async () => {
    for (const type of [
      "application/json",
      "application/json; charset=utf-8",
      "Application/JSON",
      "application/merge-patch+json",
    ])
      expect((await send(type)).ok, type).toBe(true);
  });

  it("refuses other media types that merely mention JSON", async () => {
    for (const type of ["text/plain; x=application/json", "text/application/json", "application/jsonp"]) {
      const read = await send(type);
      expect(read.ok, type).toBe(false);
      if (!read.ok) expect(read.response.status).toBe(415);
    }
  });
});

describe("byte ranges", () => {
  const bytes = new Uint8Array(Array.from({ length: 100 }, (_, i) => i));
  const etag = '"v1"';
  const get = (headers: Record<string, string>) =>
    bytesResponse(new Request("http://studio.test/api/blob/x", { headers }), bytes, etag, {
      "content-type": "image/jpeg",
    });
  const body = async (response: Response) => [...new Uint8Array(await response.arrayBuffer())];

  it("answers one range with 206 and its bytes, clamped to the end", async () => {
    for (const [range, start, end] of [
      ["bytes=0-9", 0, 9],
      ["bytes=90-", 90, 99],
      ["bytes=-5", 95, 99],
      ["bytes=95-500", 95, 99],
      ["bytes=-500", 0, 99],
    ] as const) {
      const response = get({ range });
      expect(response.status, range).toBe(206);
      expect(response.headers.get("content-range"), range).toBe(`bytes ${start}-${end}/100`);
      expect(response.headers.get("content-length"), range).toBe(String(end - start + 1));
      expect(await body(response), range).toEqual([...bytes.slice(start, end + 1)]);
      expect(response.headers.get("content-type")).toBe("image/jpeg");
    }
  });

  it("answers 416 for a range past the end, naming the size", () => {
    for (const range of ["bytes=100-", "bytes=500-600", "bytes=-0"]) {
      const response = get({ range });
      expect(response.status, range).toBe(416);
      expect(response.headers.get("content-range")).toBe("bytes */100");
    }
  });

  it("sends the whole file for no, several, malformed or stale ranges", async () => {
    for (const headers of <Record<string, string>[]>[
      {},
      { range: "bytes=0-1,5-6" },
      { range: "items=0-1" },
      { range: "bytes=9-2" },
      { range: "bytes=-" },
      { range: "bytes=0-9", "if-range": '"v0"' },
      { range: "bytes=0-9", "if-range": 'W/"v1"' },
      { range: "bytes=0-9", "if-range": "Mon, 07 Dec 2026 09:00:00 GMT" },
    ]) {
      const response = get(headers);
      expect(response.status, JSON.stringify(headers)).toBe(200);
      expect(response.headers.get("accept-ranges")).toBe("bytes");
      expect(await body(response)).toHaveLength(100);
    }
    expect(get({ range: "bytes=0-9", "if-range": etag }).status).toBe(206);
  });

  it("answers 304 to the version the client holds, before any range", () => {
    const response = get({ "if-none-match": etag, range: "bytes=0-9" });
    expect(response.status).toBe(304);
    expect(response.headers.get("etag")).toBe(etag);
  });
});

describe("methods a route does not serve", () => {
  it("answer 405 with Allow and the API's JSON error shape", async () => {
    const { DELETE } = notAllowed("GET");
    const response = DELETE(new Request("http://studio.test/api/batches/x", { method: "DELETE" }));
    expect(response.status).toBe(405);
    expect(response.headers.get("allow")).toBe("GET, HEAD, OPTIONS");
    expect(await response.json()).toEqual({
      error: "DELETE is not served here; use GET.",
      issues: [{ path: "(method)", message: "allowed: GET, HEAD, OPTIONS" }],
    });
    const post = notAllowed("POST").GET(new Request("http://studio.test/api/batches/x/cancel"));
    expect(post.headers.get("allow")).toBe("POST, OPTIONS");
  });

  it("are left out of the OPTIONS answer", () => {
    const options = notAllowed("GET", "DELETE").OPTIONS(
      new Request("http://studio.test/api/images", { method: "OPTIONS" }),
    );
    expect(options.status).toBe(204);
    expect(options.headers.get("allow")).toBe("GET, DELETE, HEAD, OPTIONS");
  });
});

describe("a route's unexpected failure", () => {
  const request = new Request("http://studio.test/api/batches", { method: "POST" });
  const quiet = () => vi.spyOn(console, "error").mockImplementation(() => {});

  it("answers 500 in the API's JSON shape, with the cause logged and not sent", async () => {
    const log = quiet();
    const route = apiRoute<[Request]>(async () => {
      throw new Error("secret detail");
    });
    const res = await route(request);
    expect(res.status).toBe(500);
    expect(await res.json()).toEqual({
      error: "The server failed to answer this request (the cause is in its log).",
      issues: [],
    });
    expect(String(log.mock.calls[0]?.[0])).toMatch(/^POST \/api\/batches: Error: secret detail/);
    log.mockRestore();
  });

  it("answers 503 when the database cannot be reached, also behind a wrapping error", async () => {
    const log = quiet();
    const refused = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), { code: "ECONNREFUSED" });
    for (const error of [refused, new Error("Failed query: select 1", { cause: refused })]) {
      const res = await apiRoute<[Request]>(async () => {
        throw error;
      })(request);
      expect(res.status).toBe(503);
      expect(((await res.json()) as { error: string }).error).toBe(
        "The database cannot be reached right now; try again shortly.",
      );
    }
    log.mockRestore();
  });

  it("answers 503 naming a missing setting (not its value) when APP_SECRET is needed and absent", async () => {
    const log = quiet();
    const saved = { ...process.env };
    try {
      Object.assign(process.env, { APP_MODE: "production", BLOB_READ_WRITE_TOKEN: "vercel_blob_rw_x_y" });
      delete process.env.APP_SECRET;
      const res = await apiRoute<[Request]>(async () => new Response(ownerToken("some-batch")))(request);
      expect(res.status).toBe(503);
      const body = (await res.json()) as { error: string; issues: unknown[] };
      expect(body.error).toMatch(/not configured correctly/);
      expect(body.issues).toEqual([{ path: "APP_SECRET", message: "missing or invalid setting" }]);
      expect(String(log.mock.calls[0]?.[0])).toMatch(/APP_SECRET must be set in production mode/);
    } finally {
      process.env = saved;
      log.mockRestore();
    }
  });

  it("passes answers through untouched", async () => {
    const ok = new Response("fine", { status: 202 });
    expect(await apiRoute<[Request]>(async () => ok)(request)).toBe(ok);
  });

  it("passes Next's own signals on (notFound, redirect), which are not failures", async () => {
    const signals = [() => notFound(), () => redirect("/elsewhere")];
    for (const signal of signals) {
      const route = apiRoute<[Request]>(async () => signal());
      await expect(route(request)).rejects.toSatisfy(
        (e: unknown) =>
          e instanceof Error &&
          /NEXT_(HTTP_ERROR_FALLBACK|REDIRECT)/.test(String((e as { digest?: string }).digest)),
      );
    }
  });
});
