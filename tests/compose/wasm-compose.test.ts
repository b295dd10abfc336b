import { describe, expect, it, vi } from "vitest";
import { TEMPLATE_IDS } from "@/lib/catalog/templates";
import { composeThumbnail } from "@/lib/compose/compose";
import { samplePhoto } from "@/lib/compose/sample-image";
import { kernels } from "@/lib/compose/wasm/runtime";

describe("the compositor with and without its wasm kernels", () => {
  it("encodes the same PNG bytes and reports the same figures for every template", async () => {
    expect(kernels).not.toBeNull();
    vi.resetModules();
    vi.stubEnv("COMPOSE_WASM", "off");
    let jsOnly: typeof composeThumbnail;
    try {
      ({ composeThumbnail: jsOnly } = await import("@/lib/compose/compose"));
      const runtime = await import("@/lib/compose/wasm/runtime");
      expect(runtime.kernels).toBeNull();
    } finally {
      vi.unstubAllEnvs();
    }
    const titles = [
      "The Quiet Revolution in Home Espresso",
      "Why Your Sourdough Isn't Rising (And the 3 Fixes)",
    ];
    for (const [i, kind] of (["light", "busy"] as const).entries()) {
      const image = await samplePhoto(800, 600, kind);
      for (const template of TEMPLATE_IDS) {
        const input = {
          image,
          title: titles[i]!,
          template,
          font: "inter",
          canvas: { width: 640, height: 360 },
          format: "png",
        } as const;
        const [wasm, js] = await Promise.all([composeThumbnail(input), jsOnly(input)]);
        expect(wasm.meta, `${template} on ${kind}`).toEqual(js.meta);
        expect(wasm.bytes.equals(js.bytes), `${template} on ${kind}`).toBe(true);
      }
    }
  });
});
