import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { InlineImages, readJsonWithImages } from "@/lib/providers/inline-images";

/** A stream of `text`'s UTF-8 bytes cut at the given offsets. */
function streamOf(text: string, cuts: number[] = []): ReadableStream<Uint8Array> {
  const bytes = Buffer.from(text, "utf8");
  const points = [0, ...cuts.filter((c) => c > 0 && c < bytes.length).sort((a, b) => a - b), bytes.length];
  const chunks = points.slice(1).map((end, k) => new Uint8Array(bytes.subarray(points[k], end)));
  return new ReadableStream({
    start(controller) {
      for (const c of chunks) controller.enqueue(c);
      controller.close();
    },
  });
}

async function read(text: string, fields: string[], cuts: number[] = []) {
  const images = new InlineImages();
  const json = await readJsonWithImages(streamOf(text, cuts), fields, images);
  return { parsed: JSON.parse(json) as Record<string, unknown>, images, json };
}

/** Every cut position of a short text, one at a time and all at once (single-byte chunks). */
function cutsOf(text: string): number[][] {
  const n = Buffer.byteLength(text);
  return [[], ...Array.from({ length: n }, (_, i) => [i]), Array.from({ length: n }, (_, i) => i)];
}

describe("readJsonWithImages", () => {
  const png = randomBytes(3001);
  const b64 = png.toString("base64");

  it("replaces an OpenAI b64_json with a token for its decoded bytes and keeps the rest", async () => {
    const body = JSON.stringify({
      created: 1,
      data: [{ b64_json: b64, revised_prompt: 'a "quoted" \\ prompt ✓' }],
      usage: { input_tokens: 5, output_tokens: 7 },
    });
    for (const cuts of [
      [],
      [1],
      [20, 21, 22],
      [body.length - 2],
      Array.from({ length: 60 }, (_, i) => i * 97),
    ]) {
      const { parsed, images } = await read(body, ["b64_json"], cuts);
      const item = (parsed.data as Record<string, unknown>[])[0]!;
      expect(item.revised_prompt).toBe('a "quoted" \\ prompt ✓');
      expect(parsed.usage).toEqual({ input_tokens: 5, output_tokens: 7 });
      expect(images.take(item.b64_json)).toEqual(png);
      // Taken once: the entry is released.
      expect(images.take(item.b64_json)).toBeNull();
    }
  });

  it("captures Gemini inlineData.data only, thought images included, and not other data fields", async () => {
    const thought = randomBytes(40);
    const body = JSON.stringify({
      candidates: [
        {
          content: {
            parts: [
              { inlineData: { mimeType: "image/png", data: thought.toString("base64") }, thought: true },
              { text: "data" },
              { inlineData: { data: b64, mimeType: "image/png" } },
            ],
          },
        },
      ],
      meta: { data: "not an image" },
      list: ["inlineData", { data: "kept" }],
    });
    const { parsed, images } = await read(body, ["inlineData.data"], [333, 1000, 1001]);
    const parts = (parsed.candidates as { content: { parts: Record<string, { data: string }>[] } }[])[0]!
      .content.parts;
    expect(images.count).toBe(2);
    expect(images.take(parts[0]!.inlineData!.data)).toEqual(thought);
    expect(images.take(parts[2]!.inlineData!.data)).toEqual(png);
    expect(parsed.meta).toEqual({ data: "not an image" });
    expect(parsed.list).toEqual(["inlineData", { data: "kept" }]);
  });

  it("gives the same JSON at every chunk boundary, escapes and multi-byte characters included", async () => {
    const body =
      '{ "a\\"b" : ["x\\\\", {"b64_json":"QUJD\\/RA==\\n"}], "é": "ü\\u00e9", "n": [1, 2.5e3, true, null],' +
      ' "b64_json" : "SGk=" }';
    for (const cuts of cutsOf(body)) {
      const { parsed, images } = await read(body, ["b64_json"], cuts);
      expect(parsed['a"b']).toEqual(["x\\", { b64_json: "inline-image:0" }]);
      expect(parsed["é"]).toBe("üé");
      expect(parsed.n).toEqual([1, 2500, true, null]);
      expect(images.take("inline-image:0")).toEqual(Buffer.from("QUJD/RA==", "base64"));
      expect(images.take(parsed.b64_json)).toEqual(Buffer.from("Hi"));
    }
  });

  it("marks a captured field that is not plain base64 as unusable (null), not as bytes", async () => {
    const { parsed, images } = await read('{"b64_json":"QUJD\\u0041"}', ["b64_json"]);
    expect(images.take(parsed.b64_json)).toBeNull();
  });

  it("leaves strings that are not tokens alone and rejects a body cut inside a string", async () => {
    const images = new InlineImages();
    expect(images.take("inline-image:0")).toBeUndefined();
    expect(images.take(42)).toBeUndefined();
    await expect(readJsonWithImages(streamOf('{"b64_json":"QUJD'), ["b64_json"], images)).rejects.toThrow(
      /ended inside a string/,
    );
    await expect(readJsonWithImages(streamOf('{"x":"abc'), ["b64_json"], images)).rejects.toThrow(
      /ended inside a string/,
    );
  });

  it("passes a stream error through", async () => {
    const failing = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('{"b64_json":"QUJD'));
        controller.error(new Error("socket hang up"));
      },
    });
    await expect(readJsonWithImages(failing, ["b64_json"], new InlineImages())).rejects.toThrow(
      "socket hang up",
    );
  });
});
