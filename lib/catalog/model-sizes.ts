/**
 * Native output sizes and list prices, the building blocks of the model catalog (lib/catalog/models.ts).
 * Prices are USD per image at the standard (non-batch) rate, from docs/image-providers.md (late 2026).
 */

export type GeminiImageSize = "1K" | "2K" | "4K";

export interface NativeSize {
  /** What the provider is asked for: "1536x1024" (OpenAI, local) or "16:9@1K" (Gemini). */
  id: string;
  width: number;
  height: number;
  /** Gemini imageConfig.aspectRatio. */
  aspectRatio?: string;
  /** Gemini imageConfig.imageSize. */
  imageSize?: GeminiImageSize;
  /** USD per image by quality tier id. */
  priceUsd: Readonly<Record<string, number>>;
}

type TierPrices = Readonly<Record<"low" | "medium" | "high", number>>;

/** OpenAI's three standard sizes; portrait costs the same as landscape. */
export function openAiSizes(square: TierPrices, wide: TierPrices): NativeSize[] {
  return [
    { id: "1024x1024", width: 1024, height: 1024, priceUsd: square },
    { id: "1536x1024", width: 1536, height: 1024, priceUsd: wide },
    { id: "1024x1536", width: 1024, height: 1536, priceUsd: wide },
  ];
}

/**
 * gpt-image-2 also takes free WIDTHxHEIGHT sizes (multiples of 16, ratio within 1:3..3:1); these extra
 * sizes match the app's canvases more closely so less of the image is cropped away.
 */
export function freeFormSizes(wide: TierPrices): NativeSize[] {
  return [
    { id: "1536x864", width: 1536, height: 864, priceUsd: wide },
    { id: "864x1536", width: 864, height: 1536, priceUsd: wide },
    { id: "1536x800", width: 1536, height: 800, priceUsd: wide },
  ];
}

/** Gemini 3 image output at 1K; 2K doubles and 4K quadruples each side. */
export const GEMINI_3_1K: Readonly<Record<string, readonly [number, number]>> = {
  "1:1": [1024, 1024],
  "2:3": [848, 1264],
  "3:2": [1264, 848],
  "3:4": [896, 1200],
  "4:3": [1200, 896],
  "9:16": [768, 1376],
  "16:9": [1376, 768],
  "21:9": [1584, 672],
};

export function geminiSizes(priceBySize: Readonly<Record<GeminiImageSize, number>>): NativeSize[] {
  const scale: Record<GeminiImageSize, number> = { "1K": 1, "2K": 2, "4K": 4 };
  return (Object.keys(scale) as GeminiImageSize[]).flatMap((imageSize) =>
    Object.entries(GEMINI_3_1K).map(([aspectRatio, [w, h]]) => ({
      id: `${aspectRatio}@${imageSize}`,
      width: w * scale[imageSize],
      height: h * scale[imageSize],
      aspectRatio,
      imageSize,
      priceUsd: { standard: priceBySize[imageSize] },
    })),
  );
}

/** The offline renderer draws at the app's canvas sizes directly (no crop) plus OpenAI's shapes. */
export function previewSizes(): NativeSize[] {
  const sizes: [number, number][] = [
    [1200, 630],
    [1280, 720],
    [1080, 1080],
    [1536, 1024],
    [1024, 1536],
  ];
  return sizes.map(([width, height]) => ({
    id: `${width}x${height}`,
    width,
    height,
    priceUsd: { standard: 0 },
  }));
}

/**
 * The native size whose aspect ratio is closest to the canvas (log distance, so 2:1 and 1:2 are equally
 * far from 1:1). Among equally close sizes: the smallest that still covers the canvas, else the largest.
 */
export function closestSize<T extends NativeSize>(sizes: readonly T[], width: number, height: number): T {
  if (!(width > 0 && height > 0))
    throw new RangeError(`canvas must have a positive size, got ${width}x${height}`);
  const target = Math.log(width / height);
  let best: T[] = [];
  let bestDistance = Infinity;
  for (const size of sizes) {
    const distance = Math.abs(Math.log(size.width / size.height) - target);
    if (distance < bestDistance - 1e-9) {
      best = [size];
      bestDistance = distance;
    } else if (Math.abs(distance - bestDistance) <= 1e-9) best.push(size);
  }
  const byArea = [...best].sort((a, b) => a.width * a.height - b.width * b.height);
  const covering = byArea.find((s) => s.width >= width && s.height >= height);
  const pick = covering ?? byArea[byArea.length - 1];
  if (!pick) throw new RangeError("model has no native sizes");
  return pick;
}
