/** The owner cookie a browser gets for a batch it created (see owner.ts for what the token is). */
import { cookies } from "next/headers";
import { ownerCookieName } from "./owner";

export async function rememberOwner(batchId: string, token: string): Promise<void> {
  (await cookies()).set(ownerCookieName(batchId), token, {
    httpOnly: true,
    sameSite: "lax",
    path: "/",
    maxAge: 60 * 60 * 24 * 365,
  });
}
