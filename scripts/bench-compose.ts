/**
 * Compositor benchmark: 1536×1024 JPEG → 1200×630 JPEG, per template, beside two references run
 * in the same process on the same input: the floor (decode, cover-resize, encode; no overlay) and
 * a naive two-pass pipeline (resize to a PNG buffer, then composite a full-canvas SVG and encode).
 * Usage: npm run bench:compose -- [--iterations 40] [--warmup 5]
 */
import sharp from "sharp";
import { TEMPLATE_IDS } from "@/lib/catalog/templates";
import { composeThumbnail, DEFAULT_QUALITY } from "@/lib/compose/compose";
import { samplePhoto } from "@/lib/compose/sample-image";
import { layoutText } from "@/lib/compose/text/layout";
import { layoutPathData } from "@/lib/compose/text/svg-path";

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const value = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isInteger(value) || value < 1) {
    console.error(`bench-compose: --${name} must be a positive integer`);
    process.exit(2);
  }
  return value;
}

const iterations = arg("iterations", 40);
const warmup = arg("warmup", 5);
const canvas = { width: 1200, height: 630 };
const titles = [
  "How We Cut Our Cloud Bill by 60% Without Touching a Line of Code",
  "The Quiet Revolution in Home Espresso",
  "10 Lessons From Shipping a Side Project Every Month for a Year",
  "Why Your Sourdough Isn't Rising (And the 3 Fixes That Work)",
];

interface Row {
  name: string;
  p50: number;
  p95: number;
  perSecond: number;
  /** Median CPU time per image, all threads of this process (libvips workers included). */
  cpu: number;
}

type Run = (i: number) => Promise<unknown>;

/**
 * Runs the pipelines round-robin (one image each per round) so that load from anything else on
 * the machine falls on all of them alike instead of on whichever happened to run during a spike.
 */
async function measureAll(pipelines: [string, Run][]): Promise<Row[]> {
  for (let i = 0; i < warmup; i++) for (const [, run] of pipelines) await run(i);
  const times = pipelines.map(() => [] as number[]);
  const cpu = pipelines.map(() => [] as number[]);
  for (let i = 0; i < iterations; i++) {
    for (const [k, [, run]] of pipelines.entries()) {
      const c = process.cpuUsage();
      const t = performance.now();
      await run(i);
      times[k]!.push(performance.now() - t);
      const used = process.cpuUsage(c);
      cpu[k]!.push((used.user + used.system) / 1000);
    }
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
  return pipelines.map(([name], k) => {
    const sorted = [...times[k]!].sort((a, b) => a - b);
    const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
    const total = sorted.reduce((a, b) => a + b, 0);
    return {
      name,
      p50: at(0.5),
      p95: at(0.95),
      perSecond: (iterations * 1000) / total,
      cpu: median(cpu[k]!),
    };
  });
}

const input = await samplePhoto(1536, 1024, "dark");
const quality = DEFAULT_QUALITY;

const floor = () =>
  sharp(input).resize(canvas.width, canvas.height, { fit: "cover" }).jpeg({ quality }).toBuffer();

/** The naive pipeline: the same bar and title, drawn as one full-canvas SVG over a PNG intermediate. */
const twoPassSvgs = titles.map((title) => {
  const layout = layoutText(title, "inter", {
    box: { x: 72, y: 410, width: 1056, height: 170 },
    maxLines: 2,
    maxSize: 66,
    minSize: 32,
    lineHeight: 1.14,
    align: "center",
    valign: "bottom",
  });
  const top = Math.floor(layout.block.y - 35);
  return Buffer.from(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${canvas.width}" height="${canvas.height}">` +
      `<rect y="${top}" width="${canvas.width}" height="${canvas.height - top}" fill="#0b0d14" fill-opacity="0.86"/>` +
      `<path d="${layoutPathData(layout)}" fill="#fff"/></svg>`,
  );
});
const twoPass = async (i: number) => {
  const png = await sharp(input).resize(canvas.width, canvas.height, { fit: "cover" }).png().toBuffer();
  return sharp(png)
    .composite([{ input: twoPassSvgs[i % titles.length]! }])
    .jpeg({ quality })
    .toBuffer();
};

console.log(
  `compositor bench: 1536×1024 JPEG (${(input.length / 1024).toFixed(0)} kB) → ${canvas.width}×${canvas.height} JPEG q${quality}`,
);
console.log(`${iterations} timed rounds (pipelines interleaved) after ${warmup} warm-up rounds\n`);

const rows = await measureAll([
  ["floor (no overlay)", floor],
  ["two-pass reference", twoPass],
  ...TEMPLATE_IDS.map((template): [string, Run] => [
    template,
    (i) =>
      composeThumbnail({ image: input, title: titles[i % titles.length]!, template, font: "inter", canvas }),
  ]),
]);

const [floorRow, twoPassRow] = rows as [Row, Row, ...Row[]];
const pad = (s: string, n: number) => s.padEnd(n);
console.log(
  `${pad("pipeline", 22)}${pad("p50 ms", 9)}${pad("p95 ms", 9)}${pad("img/s", 8)}${pad("×floor", 8)}${pad("vs two-pass", 17)}cpu ms (×floor)`,
);
let met = true;
for (const row of rows) {
  const ratio = row.p50 / floorRow.p50;
  const speedup = twoPassRow.p50 / row.p50;
  const isTemplate = row !== floorRow && row !== twoPassRow;
  const ok = ratio <= 1.3 && speedup >= 2.5;
  if (isTemplate && !ok) met = false;
  console.log(
    `${pad(row.name, 22)}${pad(row.p50.toFixed(1), 9)}${pad(row.p95.toFixed(1), 9)}${pad(row.perSecond.toFixed(1), 8)}` +
      `${pad(ratio.toFixed(2), 8)}${pad(`${speedup.toFixed(2)}×${isTemplate ? (ok ? "  ok" : "  MISSED") : ""}`, 17)}` +
      `${row.cpu.toFixed(1)} (${(row.cpu / floorRow.cpu).toFixed(2)})`,
  );
}
console.log(
  `\ntargets (every template p50 ≤ 1.3× floor and ≥ 2.5× faster than two-pass): ${met ? "MET" : "NOT MET"}`,
);
console.log(
  // The compositor picks libvips' threads per compose (lib/compose/vips.ts); the setting is
  // process-wide, so the references ran with the value it left.
  `libvips threads per pipeline during the run: ${sharp.concurrency()} (COMPOSE_VIPS_THREADS fixes it)`,
);
console.log(
  `cpu ms: median CPU time per image over all threads of this process (load from other processes ` +
    `stretches wall time, not this); peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`,
);
