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

export function decodeCursor(cursor: string): { at: string; id: string } {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    if (Array.isArray(value) && value.length === 2) {
      const [at, id] = value as unknown[];
      if (typeof at === "string" && typeof id === "string" && !Number.isNaN(Date.parse(at))) {
        return { at, id };
      }
    }
  } catch {
    // Falls through to the error below.
  }
  throw new InvalidCursorError();
}
