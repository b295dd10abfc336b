/**
 * A stand-in for the app's Inngest client that keeps what was sent, for tests that call a control
 * without an engine: `vi.mock("@/inngest/client", () => import("../helpers/inngest-sent"))`, then read
 * (and clear) `sent` from this module.
 */
export const sent: unknown[] = [];

export const inngest = {
  send: async (event: unknown) => {
    sent.push(event);
    return { ids: ["x"] };
  },
};
