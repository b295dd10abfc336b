import crypto from "node:crypto";

/**
 * 128 random bits, base64url (22 characters): unguessable, URL-safe ids for batches and cells. Drawn again
 * when the first character is "-" or "_", so ids also work as blob key segments and CLI arguments.
 */
export function newId(): string {
  for (;;) {
    const id = crypto.randomBytes(16).toString("base64url");
    if (/^[A-Za-z0-9]/.test(id)) return id;
  }
}
