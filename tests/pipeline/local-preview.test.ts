import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { getModel, pickSize } from "@/lib/catalog/models";
import { STYLE_IDS } from "@/lib/catalog/styles";
import { createLocalPreviewProvider, previewSvg, renderPreview } from "@/lib/providers/local-preview";

describe("local-preview renderer", () => {
  const provider = createLocalPreviewProvider();
  const request = {
    model: "local-preview",
    prompt: "Why fan-out beats sequential",
    width: 1200,
    height: 630,
    style: "neon",
    seed: 3,
  };

  it("is byte-identical for the same (prompt, style, seed)", async () => {
    const a = await provider.generate(request);
    const b = await provider.generate({ ...request });
    expect(a.bytes.equals(b.bytes)).toBe(true);
  });

  it("changes with the prompt, the style and the seed", async () => {
    const base = previewSvg("Title", "neon", 1, 1200, 630);
    expect(previewSvg("Title 2", "neon", 1, 1200, 630)).not.toBe(base);
    expect(previewSvg("Title", "vintage", 1, 1200, 630)).not.toBe(base);
    expect(previewSvg("Title", "neon", 2, 1200, 630)).not.toBe(base);
  });

  it("uses the style palette", () => {
    const svg = previewSvg("Title", "pixel-art", 1, 1200, 630);
    expect(svg).toContain("#1a1c2c");
  });

  it.each(getModel("local-preview").sizes.map((s) => [s.width, s.height]))(
    "renders a decodable JPEG at its native size %ix%i",
    async (width, height) => {
      const result = await provider.generate({ ...request, width, height });
      const meta = await sharp(result.bytes).metadata();
      expect([meta.format, meta.width, meta.height]).toEqual(["jpeg", width, height]);
      expect(result).toMatchObject({ mime: "image/jpeg", width, height, costUsd: 0, requestId: null });
    },
  );

  it("is never a flat frame, for every style", async () => {
    for (const style of STYLE_IDS) {
      const bytes = await renderPreview("Contrast check", style, 0, 320, 180);
      const stats = await sharp(bytes).stats();
      expect(
        stats.channels.some((c) => c.stdev > 4),
        style,
      ).toBe(true);
    }
  });

  it("falls back to the default style for an unknown style id and picks canvas sizes exactly", async () => {
    expect(previewSvg("t", "no-such-style", 0, 100, 100)).toContain("<svg");
    const size = pickSize(getModel("local-preview"), { width: 1280, height: 720 });
    expect([size.width, size.height]).toEqual([1280, 720]);
  });
});
