/**
 * GET /api/blob/<key> with Vercel Blob: a private store's URLs are this route (browsers cannot fetch its
 * blobs), so the route serves them from the store; a public store's URLs are its own, so it does not.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET } from "@/app/api/blob/[...key]/route";
import { startFakeVercelBlob, type FakeVercelBlob } from "@/lib/storage/fake-vercel-blob";
import { getStorage } from "@/lib/storage";

const saved = { ...process.env };
let fake: FakeVercelBlob;

beforeAll(async () => {
  fake = await startFakeVercelBlob();
  process.env.BLOB_READ_WRITE_TOKEN = fake.token;
  process.env.VERCEL_BLOB_API_URL = fake.apiUrl;
});

afterAll(async () => {
  process.env = saved;
  await fake.close();
});

const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 0xff, 0xd9]);

function get(key: string, headers: Record<string, string> = {}): Promise<Response> {
  const request = new Request(`http://studio.test/api/blob/${key}?v=1`, { headers });
  return GET(request, { params: Promise.resolve({ key: key.split("/") }) });
}

describe("GET /api/blob with Vercel Blob", () => {
  it("serves a private store's blobs, with their type and ETag", async () => {
    process.env.BLOB_ACCESS = "private";
    const store = getStorage();
    await store.put("final/b1/0-gpt-image-1.5.jpg", JPEG, { contentType: "image/jpeg" });
    expect(store.url("final/b1/0-gpt-image-1.5.jpg")).toBe("/api/blob/final/b1/0-gpt-image-1.5.jpg");

    const res = await get("final/b1/0-gpt-image-1.5.jpg");
    expect([res.status, res.headers.get("content-type")]).toEqual([200, "image/jpeg"]);
    expect(Buffer.from(await res.arrayBuffer()).equals(JPEG)).toBe(true);
    const etag = res.headers.get("etag") as string;
    expect(etag).toBeTruthy();
    expect((await get("final/b1/0-gpt-image-1.5.jpg", { "if-none-match": etag })).status).toBe(304);
    expect((await get("final/b1/missing.jpg")).status).toBe(404);
  });

  it("does not serve a public store's blobs, whose URLs are the store's own", async () => {
    process.env.BLOB_ACCESS = "public";
    const store = getStorage();
    await store.put("final/b2/0-gpt-image-1.5.jpg", JPEG, { contentType: "image/jpeg" });
    const res = await get("final/b2/0-gpt-image-1.5.jpg");
    expect(res.status).toBe(404);
    expect(((await res.json()) as { error: string }).error).toMatch(/served by Vercel Blob/);
  });
});
