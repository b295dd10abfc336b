/**
 * A local, in-memory imitation of the Vercel Blob HTTP API, good enough for @vercel/blob's put, head, list
 * and del (pointed here with VERCEL_BLOB_API_URL) and for fetching blob URLs. Used by the storage contract
 * tests and by anyone who wants the production storage path offline.
 */
import { createHash } from "node:crypto";
import http, { type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

interface FakeBlob {
  pathname: string;
  bytes: Buffer;
  contentType: string;
  cacheControl: string;
  etag: string;
  uploadedAt: Date;
  access: string;
}

export interface FakeVercelBlob {
  /** Value for VERCEL_BLOB_API_URL. */
  apiUrl: string;
  /** A read-write token this fake accepts (vercel_blob_rw_<storeId>_<secret>). */
  token: string;
  readonly blobs: ReadonlyMap<string, FakeBlob>;
  close(): Promise<void>;
}

const TYPES: Record<string, string> = {
  jpg: "image/jpeg",
  jpeg: "image/jpeg",
  png: "image/png",
  webp: "image/webp",
  json: "application/json",
  txt: "text/plain",
};

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
  res.end(text);
}

function blobError(res: ServerResponse, status: number, code: string, message: string): void {
  send(res, status, { error: { code, message } });
}

export async function startFakeVercelBlob(
  options: { storeId?: string; port?: number } = {},
): Promise<FakeVercelBlob> {
  const storeId = options.storeId ?? "fakestore";
  const token = `vercel_blob_rw_${storeId}_fakesecret`;
  const blobs = new Map<string, FakeBlob>();
  let origin = "";

  const describe = (b: FakeBlob) => ({
    url: `${origin}/store/${b.pathname}`,
    downloadUrl: `${origin}/store/${b.pathname}?download=1`,
    pathname: b.pathname,
    size: b.bytes.length,
    contentType: b.contentType,
    contentDisposition: `inline; filename="${b.pathname.split("/").pop()}"`,
    cacheControl: b.cacheControl,
    uploadedAt: b.uploadedAt.toISOString(),
    etag: b.etag,
  });
  // head() and del() accept either a blob URL or a pathname.
  const toPathname = (urlOrPathname: string) =>
    /^https?:\/\//.test(urlOrPathname)
      ? new URL(urlOrPathname).pathname.replace(/^\/(store\/)?/, "")
      : urlOrPathname;

  async function api(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    if (req.headers.authorization !== `Bearer ${token}`)
      return blobError(res, 403, "forbidden", "Access denied");
    const isDelete = url.pathname.endsWith("/delete");
    if (req.method === "PUT") {
      const pathname = url.searchParams.get("pathname") ?? "";
      if (!pathname) return blobError(res, 400, "bad_request", "pathname is required");
      const access = String(req.headers["x-vercel-blob-access"] ?? "public");
      if (blobs.has(pathname) && req.headers["x-allow-overwrite"] !== "1") {
        return blobError(
          res,
          400,
          "bad_request",
          "This blob already exists, use `allowOverwrite: true` if you want to overwrite it.",
        );
      }
      const body = await readBody(req);
      const ext = pathname.split(".").pop()?.toLowerCase() ?? "";
      const maxAge = Number(req.headers["x-cache-control-max-age"] ?? 2592000);
      const blob: FakeBlob = {
        pathname:
          req.headers["x-add-random-suffix"] === "1"
            ? pathname.replace(/(\.[^./]+)?$/, `-${Math.random().toString(36).slice(2, 10)}$1`)
            : pathname,
        bytes: body,
        contentType: String(req.headers["x-content-type"] ?? TYPES[ext] ?? "application/octet-stream"),
        cacheControl: `public, max-age=${maxAge}`,
        etag: `"${createHash("sha256").update(body).digest("hex").slice(0, 32)}"`,
        uploadedAt: new Date(),
        access,
      };
      blobs.set(blob.pathname, blob);
      const d = describe(blob);
      const putResult = {
        url: d.url,
        downloadUrl: d.downloadUrl,
        pathname: d.pathname,
        contentType: d.contentType,
        contentDisposition: d.contentDisposition,
        etag: d.etag,
      };
      return send(res, 200, putResult);
    }
    if (req.method === "POST" && isDelete) {
      const { urls } = JSON.parse((await readBody(req)).toString("utf8")) as { urls: string[] };
      for (const u of urls) blobs.delete(toPathname(u));
      return send(res, 200, {});
    }
    if (req.method === "GET" && url.searchParams.has("url")) {
      const blob = blobs.get(toPathname(url.searchParams.get("url") ?? ""));
      if (!blob) return blobError(res, 404, "not_found", "The requested blob does not exist");
      return send(res, 200, describe(blob));
    }
    if (req.method === "GET") {
      const prefix = url.searchParams.get("prefix") ?? "";
      const limit = Math.min(Number(url.searchParams.get("limit") ?? 1000) || 1000, 1000);
      // An opaque cursor naming the last pathname handed out, so deletes between pages skip nothing.
      const cursor = url.searchParams.get("cursor");
      const after = cursor ? Buffer.from(cursor, "base64url").toString("utf8") : null;
      const matching = [...blobs.values()]
        .filter((b) => b.pathname.startsWith(prefix) && (after === null || b.pathname > after))
        .sort((a, b) => (a.pathname < b.pathname ? -1 : 1));
      const page = matching.slice(0, limit);
      const hasMore = limit < matching.length;
      const blobsOut = page.map((b) => {
        const d = describe(b);
        return {
          url: d.url,
          downloadUrl: d.downloadUrl,
          pathname: d.pathname,
          size: d.size,
          uploadedAt: d.uploadedAt,
          etag: d.etag,
        };
      });
      return send(res, 200, {
        blobs: blobsOut,
        hasMore,
        ...(hasMore ? { cursor: Buffer.from(page[page.length - 1]!.pathname).toString("base64url") } : {}),
      });
    }
    return blobError(res, 400, "bad_request", `unsupported ${req.method} ${url.pathname}`);
  }

  function serveBlob(req: IncomingMessage, res: ServerResponse, pathname: string): void {
    const blob = blobs.get(pathname);
    if (!blob) return blobError(res, 404, "not_found", "The requested blob does not exist");
    if (blob.access === "private" && req.headers.authorization !== `Bearer ${token}`) {
      return blobError(res, 403, "forbidden", "Access denied");
    }
    res.writeHead(200, {
      "content-type": blob.contentType,
      "content-length": blob.bytes.length,
      "cache-control": blob.cacheControl,
      etag: blob.etag,
      "last-modified": blob.uploadedAt.toUTCString(),
    });
    res.end(blob.bytes);
  }

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://fake");
    const work = url.pathname.startsWith("/store/")
      ? Promise.resolve(serveBlob(req, res, decodeURIComponent(url.pathname.slice("/store/".length))))
      : url.pathname.startsWith("/api/blob")
        ? api(req, res, url)
        : Promise.resolve(blobError(res, 404, "not_found", "no such route"));
    work.catch((error: unknown) => {
      if (!res.headersSent) blobError(res, 500, "internal_server_error", String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, "127.0.0.1", () => resolve()));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    apiUrl: `${origin}/api/blob`,
    token,
    blobs,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
