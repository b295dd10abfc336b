/**
 * Real, decodable images for simulator responses. Encoding a 2K PNG takes tens of milliseconds, so each
 * (size, format) is rendered once and cached; concurrent first requests share one render.
 */
import sharp from "sharp";

export type SimImageFormat = "png" | "jpeg" | "webp";

const cache = new Map<string, Promise<Buffer>>();

export function simImage(width: number, height: number, format: SimImageFormat = "png"): Promise<Buffer> {
  const key = `${width}x${height}.${format}`;
  let hit = cache.get(key);
  if (!hit) {
    hit = render(width, height, format);
    cache.set(key, hit);
    hit.catch(() => cache.delete(key));
  }
  return hit;
}

export const SIM_IMAGE_MIME: Record<SimImageFormat, string> = {
  png: "image/png",
  jpeg: "image/jpeg",
  webp: "image/webp",
};

async function render(width: number, height: number, format: SimImageFormat): Promise<Buffer> {
  // A diagonal two-colour gradient: cheap to build as raw pixels and obviously not a blank frame.
  const pixels = Buffer.alloc(width * height * 3);
  const span = width + height;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const t = (x + y) / span;
      const i = (y * width + x) * 3;
      pixels[i] = 40 + 180 * t;
      pixels[i + 1] = 70 + 60 * (1 - t);
      pixels[i + 2] = 160 - 100 * t;
    }
  }
  const img = sharp(pixels, { raw: { width, height, channels: 3 } });
  if (format === "jpeg") return img.jpeg({ quality: 80 }).toBuffer();
  if (format === "webp") return img.webp({ quality: 80 }).toBuffer();
  return img.png({ compressionLevel: 1 }).toBuffer();
}
