import { describe, expect, it } from "vitest";
import { followedExit } from "../../scripts/lib/cli-output";
import type { BatchDto } from "@/lib/batches/dto";

const batch = (status: BatchDto["status"], succeeded: number, total: number) =>
  ({ status, counts: { succeeded, total } }) as Pick<BatchDto, "status" | "counts">;

describe("the exit code of a followed batch", () => {
  it("is 0 only for a batch that succeeded, whose cells all did", () => {
    expect(followedExit(batch("succeeded", 3, 3))).toBe(0);
    expect(followedExit(batch("partial", 2, 3))).toBe(1);
    expect(followedExit(batch("cancelled", 1, 3))).toBe(1);
    // A cancelled batch whose images were all deleted from the gallery has no cell left: not a success.
    expect(followedExit(batch("cancelled", 0, 0))).toBe(1);
  });
});
