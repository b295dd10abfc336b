import { describe, expect, it } from "vitest";
import { blockedForContent, retryNote } from "@/lib/batches/blocked";
import type { CellStatus } from "@/lib/db/schema";

const cell = (status: CellStatus, errorKind: string | null = null, promptIndex = 0) => ({
  status,
  errorKind,
  promptIndex,
});
const moderated = cell("failed", "moderation_blocked", 1);
const unsafe = cell("failed", "safety_blocked", 2);
const timedOut = cell("failed", "timeout", 3);

describe("the note beside the retry button", () => {
  it("names the refusals for content among the failed cells, which a retry will likely meet again", () => {
    expect(retryNote([moderated, unsafe, timedOut, cell("succeeded")])).toBe(
      "2 of them were blocked by the provider's safety checks: the same titles will likely be refused again.",
    );
    expect(retryNote([moderated, timedOut, timedOut])).toBe(
      "1 of them was blocked by the provider's safety checks: the same title will likely be refused again.",
    );
    expect(retryNote([unsafe, cell("succeeded")])).toBe(
      "It was blocked by the provider's safety checks: the same title will likely be refused again.",
    );
    expect(retryNote([moderated, unsafe])).toMatch(/^Both were blocked by .* the same titles will/);
    expect(retryNote([moderated, unsafe, moderated])).toMatch(/^All 3 were blocked by/);
    // One title refused by two models: the same title, once.
    expect(retryNote([moderated, { ...unsafe, promptIndex: 1 }, timedOut])).toBe(
      "2 of them were blocked by the provider's safety checks: the same title will likely be refused again.",
    );
  });

  it("says nothing when no failed cell was blocked for its content", () => {
    expect(retryNote([timedOut, cell("failed", "workflow"), cell("failed")])).toBeNull();
    // A cell no longer failed (retried since) does not count, whatever it failed of before.
    expect(retryNote([cell("queued", "moderation_blocked"), cell("succeeded")])).toBeNull();
    expect(retryNote([])).toBeNull();
  });

  it("knows the provider errors that refuse content from the others", () => {
    expect(["moderation_blocked", "safety_blocked"].map(blockedForContent)).toEqual([true, true]);
    expect(
      ["rate_limited", "timeout", "invalid_request", "budget", "cancelled"].map(blockedForContent),
    ).toEqual([false, false, false, false, false]);
    expect(blockedForContent(null)).toBe(false);
  });
});
