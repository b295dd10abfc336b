import { describe, expect, it } from "vitest";
import {
  ANNOUNCE_GAP_MS,
  nextAnnouncement,
  startAnnouncing,
  type AnnounceInput,
  type AnnounceState,
} from "@/lib/batches/announce";

const at = (done: number, failed = 0, finished = false, total = 200): AnnounceInput => ({
  counts: { total, done, succeeded: done - failed, failed, cancelled: 0 },
  finished,
});

/** Feeds the page's successive views of the batch, `gap` ms apart; returns what was said. */
function follow(start: AnnounceInput, views: AnnounceInput[], gap: number): string[] {
  let state: AnnounceState = startAnnouncing(start);
  const said: string[] = [];
  views.forEach((view, i) => {
    const next = nextAnnouncement(state, view, (i + 1) * gap);
    state = next.state;
    if (next.message) said.push(next.message);
  });
  return said;
}

describe("what the batch page tells screen readers", () => {
  it("tells each quarter once, not every cell, and always the end with its counts", () => {
    const views = Array.from({ length: 200 }, (_, i) => at(i + 1, Math.floor((i + 1) / 40)));
    views[199] = at(200, 5, true);
    expect(follow(at(0), views, ANNOUNCE_GAP_MS)).toEqual([
      "25% done: 50 of 200 images, 1 failed.",
      "50% done: 100 of 200 images, 2 failed.",
      "75% done: 150 of 200 images, 3 failed.",
      "Batch finished: 195 succeeded, 5 failed.",
    ]);
  });

  it("passes over a quarter reached too soon after the last message, but never the end", () => {
    const views = [at(50), at(100), at(150), at(200, 0, true)];
    expect(follow(at(0), views, ANNOUNCE_GAP_MS / 3)).toEqual([
      "25% done: 50 of 200 images.",
      "Batch finished: 200 succeeded, 0 failed.",
    ]);
  });

  it("says nothing to someone who opens a batch that has ended, or about quarters passed before", () => {
    expect(follow(at(200, 3, true), [at(200, 3, true), at(200, 3, true)], ANNOUNCE_GAP_MS)).toEqual([]);
    expect(follow(at(120), [at(130), at(149), at(150)], ANNOUNCE_GAP_MS)).toEqual([
      "75% done: 150 of 200 images.",
    ]);
  });

  it("tells the end again after a retry sets the batch going, and names cancelled cells", () => {
    const cancelled: AnnounceInput = {
      counts: { total: 4, done: 4, succeeded: 1, failed: 1, cancelled: 2 },
      finished: true,
    };
    const views = [at(2, 1, false, 4), at(3, 1, false, 4), cancelled];
    expect(follow(at(4, 2, true, 4), views, ANNOUNCE_GAP_MS)).toEqual([
      "75% done: 3 of 4 images, 1 failed.",
      "Batch finished: 1 succeeded, 1 failed, 2 cancelled.",
    ]);
  });
});
