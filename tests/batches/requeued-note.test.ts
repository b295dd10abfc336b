import { describe, expect, it } from "vitest";
import { RESENT_NOTE, requeuedNote, requeuedNoteOf } from "@/lib/batches/requeued-note";

describe("what the batch page says once a retry or resume went through", () => {
  it("says the cells were queued after the current run when the batch's run at work takes them", () => {
    expect(requeuedNote("resume", { resumed: 2, nextWave: true })).toBe(
      "Queued 2 cancelled cells after the current run: they are made once the cells under way have ended.",
    );
    expect(requeuedNote("retry", { retried: 1, nextWave: true })).toBe(
      "Queued 1 failed cell after the current run: it is made once the cells under way have ended.",
    );
  });

  it("says they run again when a run was started for them", () => {
    expect(requeuedNote("resume", { resumed: 1, nextWave: false })).toBe("Resumed 1 cancelled cell.");
    expect(requeuedNote("retry", { retried: 3, nextWave: false })).toBe("Retrying 3 failed cells.");
  });

  it("says a resend went out, and nothing for a cancel (the status line says that)", () => {
    expect(requeuedNote("resend", {})).toBe(RESENT_NOTE);
    expect(RESENT_NOTE).toBe("Sent to the engine again.");
    expect(requeuedNote("cancel", {})).toBeNull();
  });

  it("says the same from the answer alone, as a form post's redirect does", () => {
    expect(requeuedNoteOf({ resumed: 2, nextWave: true })).toBe(
      "Queued 2 cancelled cells after the current run: they are made once the cells under way have ended.",
    );
    expect(requeuedNoteOf({ retried: 1, nextWave: false })).toBe("Retrying 1 failed cell.");
    expect(requeuedNoteOf({})).toBeNull();
  });
});
