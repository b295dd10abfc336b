import sharp from "sharp";
import { beforeAll, describe, expect, it } from "vitest";
import { CANVASES } from "@/lib/catalog/canvases";
import { composeThumbnail } from "@/lib/compose/compose";
import { samplePhoto } from "@/lib/compose/sample-image";
import { overlayBottom } from "@/lib/compose/templates/overlay-bottom";
import { prepareShaping } from "@/lib/compose/text/complex-shaping";

const LTR = "How to Build a Successful App in 2026";
const RTL = ["איך לבנות אפליקציה מצליחה ב-2026", "كيف تبني تطبيقًا ناجحًا في عام 2026"];

beforeAll(() => prepareShaping(RTL.join(" ")));

describe("overlay-bottom for right-to-left titles", () => {
  it("mirrors the text box, so the right margin matches a left-to-right title's left margin", () => {
    for (const canvas of CANVASES) {
      const ltr = overlayBottom({ canvas, title: LTR, font: "inter" });
      const left = Math.min(...ltr.layout.lines.map((l) => l.x));
      for (const title of RTL) {
        const plan = overlayBottom({ canvas, title, font: "inter" });
        const label = `${canvas.id}: ${title}`;
        expect(plan.layout.direction, label).toBe("rtl");
        expect(plan.textBox.x + plan.textBox.width, label).toBe(canvas.width - ltr.textBox.x);
        const right = canvas.width - Math.max(...plan.layout.lines.map((l) => l.x + l.width));
        expect(Math.abs(right - left), label).toBeLessThanOrEqual(1);
        for (const line of plan.layout.lines) {
          expect(line.x, label).toBeGreaterThanOrEqual(plan.textBox.x - 0.5);
          expect(line.x + line.width, label).toBeLessThanOrEqual(plan.textBox.x + plan.textBox.width + 0.5);
        }
        expect(plan.layout.ink.x + plan.layout.ink.width, label).toBeLessThanOrEqual(canvas.width);
      }
    }
  });

  it("draws the title's ink as far from the right edge as a left-to-right title's from the left", async () => {
    const canvas = { width: 1200, height: 630 };
    const image = await samplePhoto(900, 600, "dark", "jpeg", false);
    const extent = async (title: string) => {
      const out = await composeThumbnail({ image, title, template: "overlay-bottom", font: "inter", canvas });
      const { data, info } = await sharp(out.bytes).raw().toBuffer({ resolveWithObject: true });
      let min = Infinity;
      let max = -Infinity;
      for (let i = 0; i < data.length; i += info.channels) {
        if (data[i]! < 235 || data[i + 1]! < 235 || data[i + 2]! < 235) continue;
        const x = (i / info.channels) % info.width;
        min = Math.min(min, x);
        max = Math.max(max, x);
      }
      return { left: min, right: info.width - 1 - max };
    };
    const ltr = await extent(LTR);
    const rtl = await extent(RTL[0]!);
    // Ink starts a few px inside the line box (side bearings), so allow a little.
    expect(Math.abs(rtl.right - ltr.left)).toBeLessThan(canvas.width * 0.015);
  });
});
