/**
 * The offline preview renderer: an abstract composition (gradient from the style palette, soft shapes placed
 * from a hash of the prompt) at the model's native size. Same (prompt, style, seed, size) → same bytes, so
 * embedded mode and tests are reproducible without keys or network.
 */
import { createHash } from "node:crypto";
import sharp from "sharp";
import { getStyle, isStyleId, DEFAULT_STYLE } from "@/lib/catalog/styles";
import { modelAndSize } from "@/lib/providers/shared";
import type { GenerateRequest, GenerateResult, ImageProvider } from "@/lib/providers/types";

/** A stream of numbers in [0, 1) from the SHA-256 of the inputs, extended by re-hashing. */
function hashStream(input: string): () => number {
  let block = createHash("sha256").update(input).digest();
  let offset = 0;
  return () => {
    if (offset + 4 > block.length) {
      block = createHash("sha256").update(block).digest();
      offset = 0;
    }
    const value = block.readUInt32BE(offset) / 2 ** 32;
    offset += 4;
    return value;
  };
}

export function previewSvg(
  prompt: string,
  styleId: string,
  seed: number,
  width: number,
  height: number,
): string {
  const style = getStyle(isStyleId(styleId) ? styleId : DEFAULT_STYLE);
  const palette = style.palette;
  const next = hashStream(`${style.id}\u0000${seed}\u0000${prompt}`);
  const pick = () => palette[Math.floor(next() * palette.length)] ?? "#888888";
  const angle = Math.floor(next() * 360);
  const scale = Math.min(width, height);

  const shapes: string[] = [];
  // A large soft "sun" gives the composition a focal point, kept off-centre so text has room.
  const sunX = (next() < 0.5 ? 0.18 + next() * 0.22 : 0.6 + next() * 0.22) * width;
  const sunY = (0.2 + next() * 0.45) * height;
  shapes.push(
    `<circle cx="${sunX.toFixed(1)}" cy="${sunY.toFixed(1)}" r="${(scale * (0.28 + next() * 0.12)).toFixed(1)}" fill="url(#sun)"/>`,
  );
  const count = 5 + Math.floor(next() * 5);
  for (let i = 0; i < count; i++) {
    const x = (next() * width).toFixed(1);
    const y = (next() * height).toFixed(1);
    const size = scale * (0.06 + next() * 0.3);
    const opacity = (0.12 + next() * 0.3).toFixed(2);
    const fill = pick();
    if (next() < 0.55) {
      shapes.push(
        `<circle cx="${x}" cy="${y}" r="${(size / 2).toFixed(1)}" fill="${fill}" fill-opacity="${opacity}"/>`,
      );
    } else {
      const rot = Math.floor(next() * 90) - 45;
      const w = (size * (1 + next())).toFixed(1);
      const h = (size * 0.6).toFixed(1);
      shapes.push(
        `<rect x="${x}" y="${y}" width="${w}" height="${h}" rx="${(size * 0.15).toFixed(1)}" fill="${fill}" fill-opacity="${opacity}" transform="rotate(${rot} ${x} ${y})"/>`,
      );
    }
  }
  // A low band of "hills" anchors the bottom, where most templates put the title.
  const band = Array.from(
    { length: 6 },
    (_, i) => `${((i / 5) * width).toFixed(1)},${(height * (0.72 + next() * 0.12)).toFixed(1)}`,
  );
  shapes.push(
    `<polygon points="0,${height} ${band.join(" ")} ${width},${height}" fill="${palette[0]}" fill-opacity="0.55"/>`,
  );

  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">
<defs>
<linearGradient id="bg" gradientTransform="rotate(${angle} 0.5 0.5)"><stop offset="0" stop-color="${palette[0]}"/><stop offset="1" stop-color="${palette[1]}"/></linearGradient>
<radialGradient id="sun"><stop offset="0" stop-color="${palette[palette.length - 1]}" stop-opacity="0.85"/><stop offset="1" stop-color="${palette[palette.length - 1]}" stop-opacity="0"/></radialGradient>
</defs>
<rect width="100%" height="100%" fill="url(#bg)"/>
${shapes.join("\n")}
</svg>`;
}

export async function renderPreview(
  prompt: string,
  styleId: string,
  seed: number,
  width: number,
  height: number,
): Promise<Buffer> {
  const svg = previewSvg(prompt, styleId, seed, width, height);
  return sharp(Buffer.from(svg)).jpeg({ quality: 88 }).toBuffer();
}

export function createLocalPreviewProvider(): ImageProvider {
  return {
    id: "local-preview",
    async generate(request: GenerateRequest): Promise<GenerateResult> {
      const { size } = modelAndSize("local-preview", request);
      if (request.signal?.aborted) throw request.signal.reason ?? new Error("aborted");
      const bytes = await renderPreview(
        request.prompt,
        request.style ?? DEFAULT_STYLE,
        request.seed ?? 0,
        size.width,
        size.height,
      );
      return {
        bytes,
        mime: "image/jpeg",
        width: size.width,
        height: size.height,
        requestId: null,
        usage: null,
        costUsd: 0,
      };
    },
  };
}
