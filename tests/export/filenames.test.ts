import { describe, expect, it } from "vitest";
import {
  MAX_SLUG_CHARS,
  UniqueNames,
  asciiFallback,
  contentDisposition,
  imageFileName,
  indexWidth,
  slugify,
} from "@/lib/export/filenames";
import { batchZipUrl, contactSheetUrl, downloadUrlFor, imagesZipUrl } from "@/lib/export/urls";

// Characters no file system in common use accepts in a name, or that mean something to a shell or URL.
const UNSAFE = /[<>:"/\\|?*\u0000-\u001f\u007f ]/;

describe("slugify", () => {
  it("lower-cases, drops punctuation and accents, collapses separators", () => {
    expect(slugify("Why Fan-Out Beats Sequential!")).toBe("why-fan-out-beats-sequential");
    expect(slugify("  Crème brûlée: a how-to / guide?? ")).toBe("creme-brulee-a-how-to-guide");
    expect(slugify("Straße & Œuvre Ærø")).toBe("strasse-oeuvre-aero");
    expect(slugify('CON <> "quotes" \\ back|slash *star*')).toBe("con-quotes-back-slash-star");
  });

  it("keeps other scripts as letters and removes emoji", () => {
    expect(slugify("東京の夜 🌃 guide")).toBe("東京の夜-guide");
    expect(slugify("Привет, мир")).toBe("привет-мир");
    expect(slugify("مرحبا بالعالم")).toBe("مرحبا-بالعالم");
    expect(slugify("🚀🔥 !!!")).toBe("");
  });

  it("cuts long titles on a hyphen and never splits a surrogate pair", () => {
    const long = "the quick brown fox jumps over the lazy dog ".repeat(5);
    const slug = slugify(long);
    expect([...slug].length).toBeLessThanOrEqual(MAX_SLUG_CHARS);
    expect(slug.endsWith("-")).toBe(false);
    const astral = slugify("𝒜".repeat(100));
    expect(astral).toBe("a".repeat(MAX_SLUG_CHARS));
    const han = slugify("𠀀".repeat(100));
    expect([...han]).toHaveLength(MAX_SLUG_CHARS);
    expect(Buffer.from(han, "utf8").toString("utf8")).toBe(han);
  });
});

describe("imageFileName", () => {
  it("names by index, title and model in the documented form", () => {
    expect(
      imageFileName({
        promptIndex: 0,
        prompt: "Why fan-out beats sequential",
        model: "gpt-image-1.5",
        ext: "jpg",
      }),
    ).toBe("01-why-fan-out-beats-sequential--gpt-image-1.5.jpg");
    expect(
      imageFileName({
        promptIndex: 9,
        prompt: "Ten",
        model: "local-preview",
        ext: "jpg",
        indexWidth: indexWidth(120),
      }),
    ).toBe("010-ten--local-preview.jpg");
    expect(imageFileName({ promptIndex: 0, prompt: "🔥🔥", model: "Weird Model/v2", ext: "png" })).toBe(
      "01-untitled--weird-model-v2.png",
    );
  });

  it("sorts in prompt order and is safe on every OS, also within the 255-byte name limit", () => {
    const names = Array.from({ length: 12 }, (_, i) =>
      imageFileName({
        promptIndex: i,
        prompt: `Título número ${i} ${"長".repeat(80)}`,
        model: "gemini-2.5-flash-image",
        ext: "jpg",
        indexWidth: indexWidth(12),
      }),
    );
    expect([...names].sort()).toEqual(names);
    for (const name of names) {
      expect(name).not.toMatch(UNSAFE);
      expect(Buffer.byteLength(name)).toBeLessThan(255);
      expect(name).not.toMatch(/[. ]$/);
    }
  });

  it("indexWidth pads to at least two digits", () => {
    expect([indexWidth(1), indexWidth(99), indexWidth(100), indexWidth(1000)]).toEqual([2, 2, 3, 4]);
  });
});

describe("UniqueNames", () => {
  it("suffixes repeats before the extension, ignoring case", () => {
    const names = new UniqueNames();
    expect(names.claim("manifest.json")).toBe("manifest.json");
    expect(names.claim("01-a--m.jpg")).toBe("01-a--m.jpg");
    expect(names.claim("01-a--m.jpg")).toBe("01-a--m-2.jpg");
    expect(names.claim("01-A--M.jpg")).toBe("01-A--M-3.jpg");
    expect(names.claim("01-a--m-2.jpg")).toBe("01-a--m-2-2.jpg");
    expect(names.claim("MANIFEST.json")).toBe("MANIFEST-2.json");
  });
});

describe("contentDisposition", () => {
  it("has an ASCII filename and the exact UTF-8 name per RFC 5987", () => {
    expect(contentDisposition("thumbnails-abc.zip")).toBe(
      `attachment; filename="thumbnails-abc.zip"; filename*=UTF-8''thumbnails-abc.zip`,
    );
    const value = contentDisposition("01-東京の夜--gpt-image-1.5.jpg");
    expect(value).toContain(`filename="01--gpt-image-1.5.jpg"`);
    expect(value).toContain(`filename*=UTF-8''01-${encodeURIComponent("東京の夜")}--gpt-image-1.5.jpg`);
    expect(contentDisposition("a'b(c).jpg", "inline")).toBe(
      `inline; filename="a-b-c.jpg"; filename*=UTF-8''a%27b%28c%29.jpg`,
    );
  });

  it("asciiFallback keeps a usable stem", () => {
    expect(asciiFallback("01-café--m.jpg")).toBe("01-cafe--m.jpg");
    expect(asciiFallback("東京.jpg")).toBe("download.jpg");
  });
});

describe("export URLs", () => {
  it("builds the links other components use", () => {
    expect(downloadUrlFor({ id: "cell_1", finishedAt: "2026-01-02T03:04:05.000Z" })).toBe(
      `/api/download/cell_1?v=${Date.parse("2026-01-02T03:04:05.000Z")}`,
    );
    expect(downloadUrlFor({ id: "c" })).toBe("/api/download/c");
    expect(batchZipUrl("b1")).toBe("/api/batches/b1/zip");
    expect(contactSheetUrl("b1", "abc")).toBe("/api/batches/b1/contact-sheet?v=abc");
    expect(imagesZipUrl(["a", "b"])).toBe("/api/images/zip?ids=a,b");
  });
});
