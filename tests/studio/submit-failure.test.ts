import { describe, expect, it } from "vitest";
import { NOT_SENT, submitFailure } from "@/lib/studio/submit-failure";

describe("submitFailure", () => {
  it("says a dropped connection, a proxy's page or a server fault as one thing", () => {
    expect(submitFailure(new TypeError("Failed to fetch"))).toBe(NOT_SENT);
    expect(submitFailure(new Error("An unexpected response was received from the server."))).toBe(NOT_SENT);
    const fault = Object.assign(new Error("An error occurred in the Server Components render."), {
      digest: "1",
    });
    expect(submitFailure(fault)).toBe(NOT_SENT);
    expect(submitFailure("thrown text")).toBe(NOT_SENT);
    expect(submitFailure(new Error(""))).toBe(NOT_SENT);
  });

  it("passes on a reason the server sent as plain text", () => {
    const ended = "Your studio session has ended: sign in again at /signin.";
    expect(submitFailure(new Error(ended))).toBe(ended);
    expect(submitFailure(new Error("x".repeat(301)))).toBe(NOT_SENT);
  });
});
