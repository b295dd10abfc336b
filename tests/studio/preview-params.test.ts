import { describe, expect, it } from "vitest";
import { parsePreviewParams } from "@/lib/studio/preview";

const parse = (query: string) => parsePreviewParams(new URLSearchParams(query));

describe("the preview's query", () => {
  it("takes a canvas by its id or its size, and the blog canvas when none is given", () => {
    const base = "template=bottom-bar&font=inter&title=Hello";
    expect(parse(`${base}&canvas=square`)).toMatchObject({ ok: true, value: { canvas: "square" } });
    expect(parse(`${base}&canvas=1280x720`)).toMatchObject({ ok: true, value: { canvas: "youtube" } });
    expect(parse(base)).toMatchObject({ ok: true, value: { canvas: "blog", style: expect.any(String) } });
  });

  it("names each unknown field", () => {
    expect(parse("template=nope&font=inter&canvas=1000x1000")).toEqual({
      ok: false,
      issues: [
        { path: "template", message: 'unknown template "nope"' },
        { path: "canvas", message: 'unknown canvas "1000x1000"' },
      ],
    });
  });
});
