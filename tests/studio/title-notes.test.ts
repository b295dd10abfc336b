import { describe, expect, it } from "vitest";
import { missingGlyphsNote, titleNote } from "@/lib/studio/title-notes";

describe("the note under a title", () => {
  it("says nothing for a title that fits and draws whole", () => {
    expect(titleNote(undefined, "Bottom bar")).toBeUndefined();
    expect(titleNote({ shortened: false, missing: [] }, "Bottom bar")).toBeUndefined();
  });

  it("names the characters that would show as boxes, a few of them and how many more", () => {
    expect(missingGlyphsNote(["ᠮ"])).toBe("No thumbnail font can draw ᠮ: it will show as an empty box.");
    expect(missingGlyphsNote(["ᠮ", "ᠣ", "ᠩ", "ᠭ", "ᠯ", "ᠠ", "ᠢ", "ᠤ"])).toBe(
      "No thumbnail font can draw ᠮ ᠣ ᠩ ᠭ ᠯ ᠠ and 2 more: they will show as empty boxes.",
    );
  });

  it("tells that styled letters from fancy-text tools are symbols, and says both notes together", () => {
    const note = titleNote({ shortened: true, missing: ["𝗕", "𝗼"] }, "Bottom bar");
    expect(note).toBe(
      "Too long for Bottom bar at its smallest size: it will end in “…”. No thumbnail font can draw 𝗕 𝗼: they will show as empty boxes. Styled letters (bold, italic, script) from “fancy text” tools are symbols, not letters: type plain ones.",
    );
  });
});
