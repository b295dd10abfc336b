/** The pipeline's numeric settings are read like every other numeric setting (lib/number-setting.ts). */
import { describe, expect, it } from "vitest";
import { readEnv } from "@/lib/env";
import { numberSetting } from "@/lib/number-setting";

describe("numeric pipeline settings", () => {
  it("take defaults when unset or blank, and trimmed whole numbers within range", () => {
    const defaults = readEnv({ PROVIDER_TIMEOUT_MS: " ", RUN_CHECK_AFTER_MS: "" });
    expect(defaults).toMatchObject({ PROVIDER_TIMEOUT_MS: 180_000, STORAGE_TIMEOUT_MS: 60_000 });
    expect(defaults.RUN_CHECK_AFTER_MS).toBeUndefined();
    expect(readEnv({ PROVIDER_TIMEOUT_MS: " 5000 ", RUN_CHECK_AFTER_MS: "0" })).toMatchObject({
      PROVIDER_TIMEOUT_MS: 5000,
      RUN_CHECK_AFTER_MS: 0,
    });
  });

  it("refuse what numberSetting refuses, with the same words, by name", () => {
    const cases = [
      ["PROVIDER_TIMEOUT_MS", "999", 1000, 3_600_000],
      ["PROVIDER_TIMEOUT_MS", "3600001", 1000, 3_600_000],
      ["STORAGE_TIMEOUT_MS", "1500.5", 1000, 3_600_000],
      ["RUN_CHECK_AFTER_MS", "-1", 0, 86_400_000],
      ["RUN_CHECK_AFTER_MS", "soon", 0, 86_400_000],
    ] as const;
    for (const [name, value, min, max] of cases) {
      let expected = "";
      try {
        numberSetting({ [name]: value }, name, { min, max, unit: " (ms)" });
      } catch (error) {
        expected = (error as Error).message.slice(name.length + 1);
      }
      expect(expected).toMatch(/^must be a whole number from/);
      expect(() => readEnv({ [name]: value })).toThrow(`${name}: ${expected}`);
    }
  });
});
