import { describe, expect, it } from "vitest";
import { POST } from "@/app/api/fit/route";
import { TEMPLATE_RENDERERS } from "@/lib/compose/templates";
import { getCanvas } from "@/lib/catalog/canvases";
import { fitTitles, parseFitRequest } from "@/lib/studio/fit";

const long =
  "How We Cut Our Cloud Bill by Sixty Percent Without Touching a Single Line of Application Code, and What We Learned About Budgets, Teams and Tooling Along the Way";

const post = (body: unknown) =>
  POST(
    new Request("http://studio.test/api/fit", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    }),
  );

describe("which titles a template shortens", () => {
  it("names exactly the titles the compositor would end with an ellipsis", async () => {
    const titles = ["Short and sweet", long, "", "\u200b", "日本語のタイトル", long.slice(0, 60)];
    const { shortened } = await fitTitles({ titles, template: "bottom-bar", font: "inter" });
    const canvas = getCanvas("blog");
    const expected = titles.flatMap((title, i) =>
      title.trim() &&
      i !== 3 &&
      TEMPLATE_RENDERERS["bottom-bar"]({ canvas, title, font: "inter" }).layout.truncated
        ? [i]
        : [],
    );
    expect(shortened).toEqual(expected);
    expect(shortened).toContain(1);
    expect(shortened).not.toContain(0);
  });

  it("depends on the template and the font: a roomier one sets the whole title", async () => {
    const check = async (template: "bottom-bar" | "overlay-bottom", font: "inter" | "bebas-neue") =>
      (await fitTitles({ titles: [long], template, font })).shortened;
    expect(await check("bottom-bar", "inter")).toEqual([0]);
    expect(await check("overlay-bottom", "inter")).toEqual([]);
    expect(await check("bottom-bar", "bebas-neue")).toEqual([]);
  });

  it("refuses a bad request with the field that is wrong", async () => {
    expect(parseFitRequest({ titles: ["x"], template: "nope", font: "inter" })).toMatchObject({
      ok: false,
      issues: [{ path: "template" }],
    });
    expect(
      parseFitRequest({ titles: Array(1001).fill("x"), template: "bottom-bar", font: "inter" }),
    ).toMatchObject({ ok: false, issues: [{ path: "titles", message: "at most 1000 titles per request" }] });
    const res = await post({ titles: "x", template: "bottom-bar", font: "inter", extra: 1 });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { issues: { path: string; message: string }[] };
    expect(body.issues.map((i) => i.path).sort()).toEqual(["(root)", "titles"]);
    expect(body.issues.find((i) => i.path === "titles")).toMatchObject({
      message: "titles must be a list of titles",
    });
    const ok = await post({
      titles: ["Short", long],
      template: "bottom-bar",
      font: "bebas-neue",
      canvas: "square",
    });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ shortened: [1], missing: [] });
    // The canvas by its size, as batches take it.
    const bySize = await post({
      titles: ["Short", long],
      template: "bottom-bar",
      font: "bebas-neue",
      canvas: "1080x1080",
    });
    expect(await bySize.json()).toEqual({ shortened: [1], missing: [] });
    const unknown = await post({
      titles: ["Short"],
      template: "bottom-bar",
      font: "inter",
      canvas: "1000x1000",
    });
    expect(unknown.status).toBe(400);
    expect(((await unknown.json()) as { issues: { path: string; message: string }[] }).issues).toEqual([
      { path: "canvas", message: expect.stringMatching(/^unknown canvas "1000x1000"; choose one of /) },
    ]);
  });

  it("names the characters of each title that no shipped font draws, whatever the template", async () => {
    const titles = [
      "Plain Latin, Ελληνικά, Кириллица and 日本語",
      "Mongolian ᠮᠣᠩᠭᠣᠯ and math 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 ∑∫√ ★",
      "𝗕𝗼𝗹𝗱 text",
    ];
    const canvas = getCanvas("blog");
    const answer = await fitTitles({ titles, template: "bottom-bar", font: "inter" });
    // Exactly what the compositor would leave as boxes.
    const expected = titles.flatMap((title, index) => {
      const glyphs = TEMPLATE_RENDERERS["bottom-bar"]({ canvas, title, font: "inter" }).layout.missing;
      return glyphs.length > 0 ? [{ index, glyphs }] : [];
    });
    expect(answer.missing).toEqual(expected);
    expect(answer.missing.map((m) => m.index)).toEqual([1, 2]);
    expect(answer.missing[0]?.glyphs).toEqual(expect.arrayContaining(["ᠮ", "𝔘"]));
    expect(answer.missing[0]?.glyphs).not.toContain("∑");
    const res = await post({ titles, template: "overlay-bottom", font: "bebas-neue" });
    expect(((await res.json()) as { missing: { index: number }[] }).missing.map((m) => m.index)).toEqual([
      1, 2,
    ]);
  });
});
