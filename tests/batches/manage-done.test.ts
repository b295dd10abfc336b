/**
 * What an owner control that went through says on the batch page it posts back to without JavaScript:
 * a retry's or resume's count, a resend's note; a cancel's result is the page's status line.
 */
import { beforeAll, describe, expect, it, vi } from "vitest";
import type { BatchDto } from "@/lib/batches/dto";
import type { ManageOutcome } from "@/lib/batches/controls";

vi.mock("@/lib/batches/owner-cookie", () => ({
  ownerDecision: async () => ({ granted: true as const, retryAfterMs: 0 }),
}));

let manage: typeof import("@/lib/batches/manage");
let form: typeof import("@/lib/batches/form-return");

beforeAll(async () => {
  process.env.APP_SECRET ??= "a test secret of enough length";
  manage = await import("@/lib/batches/manage");
  form = await import("@/lib/batches/form-return");
});

const batch = { id: "b1" } as BatchDto;

/** Posts the page's form (grid page 2) to `action`, the control answering `outcome`. */
async function post(action: string, outcome: ManageOutcome, countKey?: string) {
  const request = new Request(`http://studio.test/api/batches/b1/${action}`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: "page=2",
  });
  const response = await manage.manageAction(request, "b1", async () => outcome, countKey);
  expect(response.status).toBe(303);
  const url = new URL(response.headers.get("location") ?? "", "http://studio.test");
  const done = url.searchParams.get("done") ?? undefined;
  return {
    page: url.searchParams.get("page"),
    done: form.verifiedNotice("b1", done, url.searchParams.get("sig") ?? undefined, "done"),
  };
}

describe("a control posted without JavaScript that went through", () => {
  it("goes back to its grid page saying that a resend went out", async () => {
    expect(await post("resend", { batch, count: 1, note: "Sent to the engine again." })).toEqual({
      page: "2",
      done: "Sent to the engine again.",
    });
  });

  it("says what a retry did from its count, and nothing for a cancel", async () => {
    const retried = await post("retry", { batch, count: 2, nextWave: false }, "retried");
    expect(retried.done).toBe("Retrying 2 failed cells.");
    expect(await post("cancel", { batch, count: 3 })).toEqual({ page: "2", done: null });
  });
});
