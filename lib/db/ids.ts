import crypto from "node:crypto";

/** 128 random bits, base64url (22 characters): unguessable, URL-safe ids for batches and cells. */
export function newId(): string {
  return crypto.randomBytes(16).toString("base64url");
}
