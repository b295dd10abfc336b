import sharp from "sharp";

/**
 * A deterministic photo-like test image (soft shapes plus sensor-like noise, so JPEG decode costs
 * what a real photo costs). Used by the compositor bench and tests; `kind` picks the backdrop.
 */
export async function samplePhoto(
  width: number,
  height: number,
  kind: "dark" | "light" | "busy" = "dark",
  format: "jpeg" | "png" = "jpeg",
  noise = true,
): Promise<Buffer> {
  const palettes = {
    dark: ["#0f172a", "#1e3a8a", "#f97316", "#fde68a", "#be185d", "#0f766e"],
    light: ["#fffdf6", "#fdf2d0", "#f7e3b5", "#ffffff", "#fff7e0", "#fffaf0"],
    busy: ["#111111", "#f8fafc", "#ef4444", "#facc15", "#22d3ee", "#ffffff"],
  } as const;
  const [a, b, c, d, e, f] = palettes[kind];
  const stripes =
    kind === "busy"
      ? Array.from(
          { length: 24 },
          (_, i) =>
            `<rect x="${i * (width / 24)}" width="${width / 48}" height="${height}" fill="${i % 2 ? d : f}" opacity="0.8" transform="rotate(12 ${width / 2} ${height / 2})"/>`,
        ).join("")
      : "";
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">
<defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="${a}"/><stop offset="0.55" stop-color="${b}"/><stop offset="1" stop-color="${c}"/></linearGradient></defs>
<rect width="${width}" height="${height}" fill="url(#g)"/>${stripes}
<circle cx="${width * 0.72}" cy="${height * 0.37}" r="${height * 0.25}" fill="${d}" opacity="0.85"/>
<circle cx="${width * 0.25}" cy="${height * 0.3}" r="${height * 0.15}" fill="${e}" opacity="0.7"/>
<rect x="${width * 0.13}" y="${height * 0.6}" width="${width * 0.45}" height="${height * 0.3}" rx="${height * 0.04}" fill="${f}" opacity="0.8"/></svg>`;
  const base = await sharp(Buffer.from(svg)).removeAlpha().raw().toBuffer();
  let seed = 12345;
  for (let i = 0; noise && i < base.length; i++) {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    const n = ((seed >> 16) % 19) - 9;
    base[i] = Math.min(255, Math.max(0, base[i]! + n));
  }
  const img = sharp(base, { raw: { width, height, channels: 3 } });
  return format === "png" ? img.png().toBuffer() : img.jpeg({ quality: 92 }).toBuffer();
}
