import fs from "node:fs";
import { describe, expect, it } from "vitest";
import { findPostgresBin } from "../helpers/postgres";

describe("throwaway Postgres helper", () => {
  it("finds Debian's server binaries", () => {
    const bin = findPostgresBin();
    expect(fs.existsSync(`${bin}/postgres`) && fs.existsSync(`${bin}/initdb`)).toBe(true);
  });

  it("names the apt command when the binaries are missing", () => {
    expect(() => findPostgresBin("/nonexistent/postgresql")).toThrow(
      /apt-get install -y --no-install-recommends postgresql/,
    );
  });
});
