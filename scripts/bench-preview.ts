/**
 * `npx tsx scripts/bench-preview.ts`: how fast the offline preview renderer is at each native size
 * (target: well under ~100 ms per image on this machine). Prints p50/p95 ms and images/s.
 */
import { getModel } from "@/lib/catalog/models";
import { STYLE_IDS } from "@/lib/catalog/styles";
import { renderPreview } from "@/lib/providers/local-preview";

const RUNS = Number(process.env.BENCH_RUNS ?? 30);

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

async function main(): Promise<void> {
  await renderPreview("warm-up", "neon", 0, 320, 180);
  console.log(`local-preview renderer, ${RUNS} runs per size (styles and prompts vary)`);
  for (const size of getModel("local-preview").sizes) {
    const times: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const style = STYLE_IDS[i % STYLE_IDS.length] ?? "neon";
      const start = performance.now();
      await renderPreview(`Benchmark title number ${i}`, style, i, size.width, size.height);
      times.push(performance.now() - start);
    }
    times.sort((a, b) => a - b);
    const total = times.reduce((a, b) => a + b, 0);
    console.log(
      `${size.id.padEnd(10)} p50 ${percentile(times, 50).toFixed(1)} ms  p95 ${percentile(times, 95).toFixed(1)} ms  ` +
        `${((RUNS / total) * 1000).toFixed(1)} images/s`,
    );
  }
}

void main();
