/**
 * What the studio says when its submit threw instead of answering with a result. The text a server
 * (or the password gate, proxy.ts) sends as plain text is its reason, meant for the person: Next.js's
 * client throws it as the error's message. The rest, a dropped connection (fetch's TypeError), a proxy's
 * page (Next's generic message) or a server fault (an error with a digest), is said as one thing.
 */
export const NOT_SENT =
  "The server did not answer properly, so the batch may not have started. Your form is kept: try again (if it did start, it is listed under Batches).";

/** Next.js's message for an action's answer that is neither its own nor plain text. */
const UNEXPECTED = "An unexpected response was received from the server.";

export function submitFailure(error: unknown): string {
  const said =
    error instanceof Error && !(error instanceof TypeError) && !("digest" in error)
      ? error.message.trim()
      : "";
  return said && said !== UNEXPECTED && said.length <= 300 ? said : NOT_SENT;
}
