/** This process's gate settings for lib/access.ts (no next/headers here: the proxy imports it too). */
import { appSecret } from "@/lib/batches/owner";
import { sessionEpoch } from "@/lib/session-epoch";
import { studioPassword, type AccessConfig } from "./access";
import { passwordThrottle } from "./access-throttle";

/** `headers`: the request's, whose client address (where a proxy vouches for it) has its own window. */
export async function accessConfig(
  headers?: Pick<Headers, "get"> | null,
  env: NodeJS.ProcessEnv = process.env,
): Promise<AccessConfig> {
  const password = studioPassword(env);
  return {
    password,
    // Read only when the gate is on: an open install needs no secret or epoch for it.
    secret: password ? appSecret() : Buffer.alloc(0),
    adminToken: env.ADMIN_TOKEN?.trim() || null,
    throttle: passwordThrottle(headers, env),
    epoch: password ? await sessionEpoch() : 0,
  };
}
