/** Opaque keyset cursors: base64url of [ISO timestamp, id]. */

export class InvalidCursorError extends Error {
  constructor() {
    super("invalid cursor");
    this.name = "InvalidCursorError";
  }
}

export function encodeCursor(at: Date, id: string): string {
  return Buffer.from(JSON.stringify([at.toISOString(), id])).toString("base64url");
}

/** What toISOString writes for the years a row can carry (four digits; Postgres misreads six). */
const ISO_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
/**
 * The characters of every id the app has made (newId in ids.ts, batch ids with their creator tag;
 * ids from before 4812b0f may start with - or _), so paging through old rows keeps working.
 */
const ROW_ID = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * The position a cursor names. Anything encodeCursor cannot have written (an impossible date such as
 * 2026-02-31, a year past 9999, an id the app does not make) is refused before it reaches the database,
 * which would fail on some of them.
 */
export function decodeCursor(cursor: string): { at: string; id: string } {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    if (Array.isArray(value) && value.length === 2) {
      const [at, id] = value as unknown[];
      if (typeof at === "string" && typeof id === "string" && ISO_TIMESTAMP.test(at) && ROW_ID.test(id)) {
        const time = new Date(at);
        // The round trip refuses dates the calendar lacks, which Date rolls over (02-31 to 03-03).
        if (!Number.isNaN(time.getTime()) && time.toISOString() === at) return { at, id };
      }
    }
  } catch {
    // Falls through to the error below.
  }
  throw new InvalidCursorError();
}
