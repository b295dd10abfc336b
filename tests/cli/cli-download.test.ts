import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { suggestedName, targetPath } from "../../scripts/lib/cli-download";

describe("download target", () => {
  it("takes the server's file name, never a path from it", () => {
    expect(suggestedName('attachment; filename="thumbnails-abc.zip"')).toBe("thumbnails-abc.zip");
    expect(suggestedName("attachment; filename=plain.zip")).toBe("plain.zip");
    expect(suggestedName('attachment; filename="../../etc/passwd"')).toBe("passwd");
    expect(suggestedName('attachment; filename="..\\\\evil.zip"')).toBe("evil.zip");
    expect(suggestedName('attachment; filename=".."')).toBeNull();
    expect(suggestedName(null)).toBeNull();
  });

  it("prefers the UTF-8 name to its ASCII stand-in, and keeps it a plain file name", () => {
    const both = `attachment; filename="thumbnails-nLKr6-A.zip"; filename*=UTF-8''thumbnails-nLKr6_A.zip`;
    expect(suggestedName(both)).toBe("thumbnails-nLKr6_A.zip");
    expect(suggestedName(`attachment; filename*=UTF-8''%E6%9D%B1%E4%BA%AC.zip`)).toBe("東京.zip");
    expect(suggestedName(`attachment; filename*=UTF-8''..%2F..%2Fetc%2Fpasswd`)).toBe("passwd");
    // Not decodable: the plain name serves.
    expect(suggestedName(`attachment; filename="ok.zip"; filename*=UTF-8''%E6%9D`)).toBe("ok.zip");
  });

  it("writes --out as given, inside it when it is a folder, else the server's name here", () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "cli-target-"));
    try {
      expect(targetPath(undefined, "t.zip", dir)).toBe(path.join(dir, "t.zip"));
      expect(targetPath("out.zip", "t.zip", dir)).toBe(path.join(dir, "out.zip"));
      expect(targetPath(dir, "t.zip", "/")).toBe(path.join(dir, "t.zip"));
      expect(targetPath("later/", "t.zip", dir)).toBe(path.join(dir, "later", "t.zip"));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
