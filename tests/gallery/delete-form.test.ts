/**
 * The gallery's form posts (JavaScript off) and JSON posts to POST /api/images/delete, and form posts to
 * the selection ZIP, called as route handlers on an in-memory database and a local blob store.
 */
import { afterEach, describe, expect, it } from "vitest";
import { getDb } from "@/lib/db";
import { selectedImages } from "@/lib/gallery/selection";
import { getStorage } from "@/lib/storage";
import { newBatch, succeed } from "../db/fixtures";
import { memoryApp } from "../helpers/memory-app";

memoryApp("gallery-form-");

const { POST: deletePost } = await import("@/app/api/images/delete/route");
const { POST: zipPost } = await import("@/app/api/images/zip/route");

afterEach(() => {
  delete process.env.APP_MODE;
  delete process.env.ADMIN_TOKEN;
});

/** `n` finished images whose raw and final files really exist in the store. */
async function images(n: number): Promise<string[]> {
  const db = await getDb();
  const store = getStorage();
  const { cells } = await newBatch(db, n, ["local-preview"]);
  for (const cell of cells) {
    const done = await succeed(db, cell);
    await store.put(done.rawKey as string, Buffer.from("raw"), { contentType: "image/png" });
    await store.put(done.finalKey as string, Buffer.from("final"), { contentType: "image/webp" });
  }
  return cells.map((c) => c.id);
}

const existing = async (ids: string[]) => (await selectedImages(await getDb(), ids)).map((i) => i.id);

function form(url: string, fields: [string, string][], headers: Record<string, string> = {}) {
  return new Request(`http://127.0.0.1:3000${url}`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", ...headers },
    body: new URLSearchParams(fields).toString(),
  });
}
const delForm = (fields: [string, string][], headers?: Record<string, string>) =>
  deletePost(form("/api/images/delete", fields, headers));
const delJson = (body: unknown, headers: Record<string, string> = {}) =>
  deletePost(
    new Request("http://127.0.0.1:3000/api/images/delete", {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: JSON.stringify(body),
    }),
  );

describe("POST /api/images/delete as a form (embedded mode)", () => {
  it("deletes the ticked images and answers 303 back to the same filtered page with the counts", async () => {
    const [a, b, c] = (await images(3)) as [string, string, string];
    const finals = await selectedImages(await getDb(), [a, b]);
    const res = await delForm([
      ["style", "anime"],
      ["limit", "4"],
      ["cursor", "abc"],
      ["ids", a],
      ["ids", b],
      ["confirm", "delete"],
    ]);
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/gallery?style=anime&limit=4&cursor=abc&deleted=2&skipped=0");
    expect(await existing([a, b, c])).toEqual([c]);
    // Their files went with them.
    for (const img of finals) expect(await getStorage().head(decodeURIComponent(keyOf(img.url)))).toBeNull();
  });

  it("takes one comma-separated field and counts unknown ids as skipped", async () => {
    const [a] = (await images(1)) as [string];
    const res = await delForm([["ids", `${a},no-such-image`]]);
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/gallery?deleted=1&skipped=1");
    expect(await existing([a])).toEqual([]);
  });

  it("answers a readable 400 page when nothing is ticked, and deletes nothing on a malformed id", async () => {
    const [a] = (await images(1)) as [string];
    const none = await delForm([["style", "anime"]]);
    expect(none.status).toBe(400);
    expect(none.headers.get("content-type")).toContain("text/html");
    const html = await none.text();
    expect(html).toContain("Select at least one image to delete.");
    expect(html).toContain('href="/gallery?style=anime"');

    const bad = await delForm([["ids", `${a},<script>`]]);
    expect(bad.status).toBe(400);
    const text = await bad.text();
    expect(text).toContain("each id must be an image id");
    expect(text).not.toContain("<script>");
    expect(await existing([a])).toEqual([a]);
  });

  it("refuses a form sent from another site", async () => {
    const [a] = (await images(1)) as [string];
    const res = await delForm([["ids", a]], { "sec-fetch-site": "cross-site" });
    expect(res.status).toBe(403);
    const spoofed = await delForm([["ids", a]], { origin: "http://evil.test", host: "127.0.0.1:3000" });
    expect(spoofed.status).toBe(403);
    expect(await existing([a])).toEqual([a]);
  });
});

describe("POST /api/images/delete in production mode (admin token)", () => {
  it("needs the token from the form's password field: missing 401, wrong 403, right one deletes", async () => {
    process.env.APP_MODE = "production";
    process.env.ADMIN_TOKEN = "s3cret";
    const [a, b] = (await images(2)) as [string, string];
    const missing = await delForm([["ids", a]]);
    expect(missing.status).toBe(401);
    expect(await missing.text()).toContain("Deleting images needs the admin token.");

    const wrong = await delForm([
      ["ids", `${a},${b}`],
      ["token", "guess"],
      ["model", "local-preview"],
    ]);
    expect(wrong.status).toBe(403);
    const html = await wrong.text();
    expect(html).toContain("The admin token is not right.");
    // A way back to the confirm step with the same selection and filters.
    expect(html).toContain(`href="/gallery?model=local-preview&amp;ids=${a}%2C${b}&amp;confirm=delete"`);
    expect(await existing([a, b])).toEqual(expect.arrayContaining([a, b]));

    const right = await delForm([
      ["ids", a],
      ["token", "s3cret"],
    ]);
    expect(right.status).toBe(303);
    expect(right.headers.get("location")).toBe("/gallery?deleted=1&skipped=0");
    // The same bearer header the JSON API takes works for a form too.
    const bearer = await delForm([["ids", b]], { authorization: "Bearer s3cret" });
    expect(bearer.status).toBe(303);
    expect(await existing([a, b])).toEqual([]);
  });

  it("says deleting is off when the server has no ADMIN_TOKEN", async () => {
    process.env.APP_MODE = "production";
    const [a] = (await images(1)) as [string];
    const res = await delForm([
      ["ids", a],
      ["token", "anything"],
    ]);
    expect(res.status).toBe(403);
    expect(await res.text()).toContain("the server has no ADMIN_TOKEN");
    expect(await existing([a])).toEqual([a]);
  });

  it("still answers JSON clients with JSON, errors included", async () => {
    process.env.APP_MODE = "production";
    process.env.ADMIN_TOKEN = "s3cret";
    const [a] = (await images(1)) as [string];
    const anonymous = await delJson({ ids: [a] });
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get("www-authenticate")).toContain("Bearer");
    expect(await anonymous.json()).toMatchObject({ issues: [{ path: "authorization" }] });
    const empty = await delJson({ ids: [] }, { authorization: "Bearer s3cret" });
    expect(empty.status).toBe(400);
    expect(await empty.json()).toMatchObject({
      error: "Invalid delete request.",
      issues: [{ path: "ids", message: "ids must name at least one image" }],
    });
    const ok = await delJson({ ids: [a] }, { authorization: "Bearer s3cret" });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ deleted: [a], skipped: [] });
  });
});

describe("POST /api/images/zip as a form", () => {
  it("zips the ticked images, and explains an empty selection in HTML", async () => {
    const [a, b] = (await images(2)) as [string, string];
    const zip = await zipPost(
      form("/api/images/zip", [
        ["ids", a],
        ["ids", b],
        ["confirm", "delete"],
      ]),
    );
    expect(zip.status).toBe(200);
    expect(zip.headers.get("content-type")).toContain("zip");
    expect(
      Buffer.from(await zip.arrayBuffer())
        .subarray(0, 2)
        .toString(),
    ).toBe("PK");

    const none = await zipPost(form("/api/images/zip", [["template", "bottom-bar"]]));
    expect(none.status).toBe(400);
    expect(none.headers.get("content-type")).toContain("text/html");
    const html = await none.text();
    expect(html).toContain("Select at least one image to download.");
    expect(html).toContain('href="/gallery?template=bottom-bar"');
  });
});

function keyOf(url: string): string {
  return new URL(url, "http://x").pathname.replace(/^\/api\/blob\//, "");
}
