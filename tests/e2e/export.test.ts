/**
 * Issue 5's exports on the built app and local engine: a 3 × 2 batch (local preview plus GPT Image 1.5 on
 * the provider simulator), downloaded as a ZIP by clicking the batch page's link in Chromium (N × M images
 * and a manifest); the share page's Open Graph and Twitter tags point at a real 1200×630 JPEG; one-image
 * downloads and the gallery's selection ZIP.
 */
import { readFileSync } from "node:fs";
import { strFromU8, unzipSync } from "fflate";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BatchManifest, SelectionManifest } from "@/lib/export/manifest";
import { downloadUrlFor } from "@/lib/export/urls";
import { startSimulator, type Simulator } from "@/lib/simulator";
import { openBrowser } from "../helpers/browser";
import { startStack, type Stack } from "../helpers/stack";

interface CellJson {
  id: string;
  promptIndex: number;
  model: string;
  status: string;
  finishedAt: string | null;
}

let sim: Simulator;
let stack: Stack;
let batchId = "";
let cells: CellJson[] = [];
const prompts = ["Why fan-out beats sequential", "Crème brûlée, explained", "東京の夜"];
const models = ["local-preview", "gpt-image-1.5"];

beforeAll(async () => {
  sim = await startSimulator({ port: 0, profile: "fast" });
  stack = await startStack({ PROVIDER_SIMULATOR_URL: sim.url });
  const res = await fetch(`${stack.appUrl}/api/batches`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      prompts,
      models,
      style: "neon",
      template: "bottom-bar",
      font: "inter",
      canvas: "blog",
    }),
  });
  expect(res.status).toBe(201);
  batchId = ((await res.json()) as { id: string }).id;
  const deadline = Date.now() + 90_000;
  for (;;) {
    const body = (await (await fetch(`${stack.appUrl}/api/batches/${batchId}`)).json()) as {
      status: string;
      cells: CellJson[];
    };
    if (body.status === "succeeded") {
      cells = body.cells;
      break;
    }
    if (Date.now() > deadline) throw new Error(`batch ${batchId} is still ${body.status}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
});

afterAll(async () => {
  await stack?.stop();
  await sim?.close();
});

const metaContent = (html: string, key: string): string | null => {
  for (const tag of html.match(/<meta\b[^>]*>/g) ?? []) {
    const name = /\b(?:property|name)="([^"]+)"/.exec(tag)?.[1];
    if (name === key) return /\bcontent="([^"]*)"/.exec(tag)?.[1]?.replace(/&amp;/g, "&") ?? null;
  }
  return null;
};

describe("exports of a finished batch", () => {
  it("downloads the ZIP from the batch page's link: N × M images and a manifest", async () => {
    const browser = await openBrowser();
    try {
      const page = await browser.context.newPage();
      await page.goto(`${stack.appUrl}/b/${batchId}`, { waitUntil: "networkidle" });
      const [download] = await Promise.all([
        page.waitForEvent("download"),
        page.getByRole("link", { name: "Download ZIP" }).click(),
      ]);
      expect(download.suggestedFilename()).toBe(`thumbnails-${batchId}.zip`);
      const files = unzipSync(new Uint8Array(readFileSync((await download.path())!)));
      const names = Object.keys(files);
      expect(names).toHaveLength(prompts.length * models.length + 1);
      expect(names.filter((n) => n.endsWith(".jpg"))).toHaveLength(prompts.length * models.length);
      expect(names).toContain("01-why-fan-out-beats-sequential--gpt-image-1.5.jpg");
      expect(names).toContain("02-creme-brulee-explained--local-preview.jpg");
      expect(names).toContain("03-東京の夜--local-preview.jpg");
      for (const name of names.filter((n) => n.endsWith(".jpg"))) {
        const meta = await sharp(files[name]!).metadata();
        expect([meta.format, meta.width, meta.height]).toEqual(["jpeg", 1200, 630]);
      }
      const manifest = JSON.parse(strFromU8(files["manifest.json"]!)) as BatchManifest;
      expect(manifest).toMatchObject({ batchId, status: "succeeded", prompts, models, canvas: "blog" });
      expect(manifest.files).toHaveLength(6);
      for (const entry of manifest.files) {
        expect(entry.file && names.includes(entry.file)).toBe(true);
        expect(entry.attempts).toBeGreaterThanOrEqual(1);
        // The manifest's URLs are absolute and serve the same bytes as the archive.
        const res = await fetch(entry.url!);
        expect(res.status).toBe(200);
        expect(Buffer.from(await res.arrayBuffer()).equals(Buffer.from(files[entry.file!]!))).toBe(true);
      }
      expect(manifest.files.find((f) => f.model === "gpt-image-1.5")?.requestIds.length).toBeGreaterThan(0);
    } finally {
      await browser.close();
    }
  });

  it("the share page's Open Graph and Twitter tags point to a real 1200×630 JPEG", async () => {
    const html = await (await fetch(`${stack.appUrl}/b/${batchId}`)).text();
    const image = metaContent(html, "og:image");
    expect(image).toMatch(
      new RegExp(`^http://127\\.0\\.0\\.1:\\d+/api/batches/${batchId}/contact-sheet\\?v=`),
    );
    expect(metaContent(html, "og:image:width")).toBe("1200");
    expect(metaContent(html, "og:image:height")).toBe("630");
    expect(metaContent(html, "og:title")).toBe("3 × 2 thumbnails");
    expect(metaContent(html, "og:description")).toContain(prompts[0]);
    expect(metaContent(html, "twitter:card")).toBe("summary_large_image");
    expect(metaContent(html, "twitter:image")).toBe(image);
    const res = await fetch(image!);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("image/jpeg");
    expect(res.headers.get("cache-control")).toContain("immutable");
    const meta = await sharp(Buffer.from(await res.arrayBuffer())).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(["jpeg", 1200, 630]);
    const again = await fetch(image!, { headers: { "if-none-match": res.headers.get("etag")! } });
    expect(again.status).toBe(304);
    // A resumed or partial fetch gets the bytes it asks for.
    const whole = new Uint8Array(await (await fetch(image!)).arrayBuffer());
    const part = await fetch(image!, { headers: { range: "bytes=10-19" } });
    expect(part.status).toBe(206);
    expect(part.headers.get("content-range")).toBe(`bytes 10-19/${whole.length}`);
    expect([...new Uint8Array(await part.arrayBuffer())]).toEqual([...whole.slice(10, 20)]);
  });

  it("downloads one image with a readable name, and refuses bad ids", async () => {
    const cell = cells.find((c) => c.promptIndex === 2 && c.model === "gpt-image-1.5")!;
    const res = await fetch(`${stack.appUrl}${downloadUrlFor(cell)}`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("image/jpeg");
    const disposition = res.headers.get("content-disposition")!;
    expect(disposition).toMatch(/^attachment; filename="03--gpt-image-1\.5\.jpg"; filename\*=UTF-8''/);
    expect(decodeURIComponent(disposition.split("''")[1]!)).toBe("03-東京の夜--gpt-image-1.5.jpg");
    const size = (await res.arrayBuffer()).byteLength;
    const tail = await fetch(`${stack.appUrl}${downloadUrlFor(cell)}`, { headers: { range: "bytes=-4" } });
    expect(tail.status).toBe(206);
    expect(tail.headers.get("content-range")).toBe(`bytes ${size - 4}-${size - 1}/${size}`);
    expect([...new Uint8Array(await tail.arrayBuffer())].slice(-2)).toEqual([0xff, 0xd9]);
    expect((await fetch(`${stack.appUrl}/api/download/nope`)).status).toBe(404);
    // A method the route does not serve: 405 with Allow, in the API's JSON error shape.
    const wrong = await fetch(`${stack.appUrl}/api/batches/${batchId}`, { method: "DELETE" });
    expect([wrong.status, wrong.headers.get("allow")]).toEqual([405, "GET, HEAD, OPTIONS"]);
    expect(((await wrong.json()) as { error: string }).error).toBe("DELETE is not served here; use GET.");
    const options = await fetch(`${stack.appUrl}/api/batches/${batchId}`, { method: "OPTIONS" });
    expect([options.status, options.headers.get("allow")]).toEqual([204, "GET, HEAD, OPTIONS"]);
    expect((await fetch(`${stack.appUrl}/api/download/..%2F..%2Fetc`)).status).toBe(400);
    expect((await fetch(`${stack.appUrl}/api/batches/AAAAAAAAAAAAAAAAAAAAAA/zip`)).status).toBe(404);
    expect((await fetch(`${stack.appUrl}/api/batches/AAAAAAAAAAAAAAAAAAAAAA/contact-sheet`)).status).toBe(
      404,
    );
  });

  it("zips a gallery selection by id, and answers 400 with field issues for bad selections", async () => {
    const picked = [cells[5]!.id, cells[0]!.id];
    const res = await fetch(`${stack.appUrl}/api/images/zip?ids=${picked.join(",")}`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/zip");
    const files = unzipSync(new Uint8Array(await res.arrayBuffer()));
    const manifest = JSON.parse(strFromU8(files["manifest.json"]!)) as SelectionManifest;
    expect(manifest.files.map((f) => f.cellId)).toEqual(picked);
    expect(Object.keys(files)).toHaveLength(3);
    const post = await fetch(`${stack.appUrl}/api/images/zip`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ ids: picked }),
    });
    expect(post.status).toBe(200);
    expect(Object.keys(unzipSync(new Uint8Array(await post.arrayBuffer())))).toHaveLength(3);
    const tooMany = await fetch(`${stack.appUrl}/api/images/zip`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ ids: Array.from({ length: 501 }, (_, i) => `id${i}`) }),
    });
    expect(tooMany.status).toBe(400);
    expect(((await tooMany.json()) as { issues: { path: string }[] }).issues[0]?.path).toBe("ids");
    const bad = await fetch(`${stack.appUrl}/api/images/zip?ids=ok,bad%20id`);
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { issues: { path: string }[] }).issues[0]?.path).toBe("ids.1");
    expect((await fetch(`${stack.appUrl}/api/images/zip`)).status).toBe(400);
    expect((await fetch(`${stack.appUrl}/api/images/zip?ids=unknown1,unknown2`)).status).toBe(404);
  });
});
