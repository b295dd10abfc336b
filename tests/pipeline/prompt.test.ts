import { describe, expect, it } from "vitest";
import { getStyle } from "@/lib/catalog/styles";
import { MAX_PROMPT_CHARS, buildPrompt } from "@/lib/prompt";

describe("buildPrompt", () => {
  it("describes a text-free thumbnail background for the title in the chosen style", () => {
    const p = buildPrompt({ title: "Why fan-out beats sequential", style: "cinematic" });
    expect(p).toContain('"Why fan-out beats sequential"');
    expect(p).toMatch(/thumbnail/i);
    expect(p).toMatch(/Do not render any text, letters/);
    expect(p).toMatch(/watermarks/);
    expect(p).toMatch(/uncluttered area for a text overlay/);
    expect(p).toContain(getStyle("cinematic").prompt);
  });

  it("appends context and extra guidance after the style, in that order", () => {
    const p = buildPrompt({ title: "T", style: "neon", context: "A DevOps blog", extraPrompt: "Use a cat" });
    const style = p.indexOf("Style:");
    expect(p.indexOf("Context: A DevOps blog")).toBeGreaterThan(style);
    expect(p.indexOf("Additional guidance: Use a cat")).toBeGreaterThan(p.indexOf("Context:"));
    expect(buildPrompt({ title: "T", style: "neon" })).not.toMatch(/Context:|Additional guidance:/);
  });

  it("collapses whitespace and control characters and trims", () => {
    const p = buildPrompt({ title: "  Hello\n\n\tworld \u0000 ", style: "sketch", context: " \n " });
    expect(p).toContain('"Hello world"');
    expect(p).not.toMatch(/\s{2,}|[\n\t\u0000]/);
    expect(p).not.toContain("Context:");
    expect(p).toBe(p.trim());
  });

  it("describes the orientation of the canvas", () => {
    expect(buildPrompt({ title: "T", style: "3d", canvas: { width: 1200, height: 630 } })).toMatch(
      /landscape/,
    );
    expect(buildPrompt({ title: "T", style: "3d", canvas: { width: 1080, height: 1080 } })).toMatch(/Square/);
    expect(buildPrompt({ title: "T", style: "3d", canvas: { width: 720, height: 1280 } })).toMatch(
      /portrait/,
    );
  });

  it("caps very long inputs on word boundaries and never exceeds the limit", () => {
    const long = "word ".repeat(5000);
    const p = buildPrompt({ title: long, style: "anime", context: long, extraPrompt: long });
    expect(p.length).toBeLessThanOrEqual(MAX_PROMPT_CHARS);
    expect(p).toContain("…");
    expect(p).toContain("Style:");
    expect(p).toContain("Additional guidance:");
  });

  it("keeps simulator markers and markup characters intact", () => {
    const p = buildPrompt({ title: 'Tom & "Jerry" <3', style: "cartoon", extraPrompt: "[sim:429*2]" });
    expect(p).toContain('Tom & "Jerry" <3');
    expect(p).toContain("[sim:429*2]");
  });

  it("refuses a title with no visible characters", () => {
    expect(() => buildPrompt({ title: " \n\t ", style: "vintage" })).toThrow(/title/);
  });
});
