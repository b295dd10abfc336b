/**
 * The studio password gate (STUDIO_PASSWORD, off when unset): signed-out browsers asking for a private
 * page go to /signin, API calls get 401 JSON. Which paths are public lives in lib/access.ts; gated route
 * handlers and server actions check again themselves.
 */
import { NextResponse, type NextRequest } from "next/server";
import {
  accessDecision,
  classifyPath,
  deniedResponse,
  SESSION_COOKIE,
  signinPath,
  studioPassword,
} from "@/lib/access";
import { accessConfig } from "@/lib/access-config";
import { serverStopping } from "@/lib/server-stop";

const SESSION_ENDED = "Your studio session has ended: sign in again at /signin.";

export async function proxy(request: NextRequest) {
  const response = await gate(request);
  // Stopping, Next waits for every connection still open: a client polling on a kept-alive one (the
  // CLI's --wait, a batches page reloading itself) would hold it for good. Each answer closes its own.
  if (serverStopping().aborted) response.headers.set("connection", "close");
  return response;
}

async function gate(request: NextRequest): Promise<Response> {
  if (!studioPassword(process.env)) return NextResponse.next();
  const { pathname, search } = request.nextUrl;
  const kind = classifyPath(request.method, pathname);
  if (kind === "public") return NextResponse.next();
  // Only now: it reads the session epoch (cached, but a database read when stale).
  const config = await accessConfig(request.headers);
  const decision = accessDecision(request.headers, request.cookies.get(SESSION_COOKIE)?.value, config);
  if (decision.granted) return NextResponse.next();
  if (kind === "api") return deniedResponse(decision);
  // A server action's fetch cannot follow a redirect to an HTML page; Next's client throws a plain-text
  // answer as an error with its message, which the studio form shows beside its button (app/error.tsx
  // elsewhere), so the form's author learns what happened.
  if (request.headers.has("next-action")) {
    return new Response(SESSION_ENDED, {
      status: 401,
      headers: { "content-type": "text/plain", "cache-control": "no-store" },
    });
  }
  const read = request.method === "GET" || request.method === "HEAD";
  // Absolute here (NextResponse insists); Next sends it relative when it is on the request's own origin.
  const response = NextResponse.redirect(
    new URL(signinPath(`${pathname}${search}`), request.url),
    read ? 307 : 303,
  );
  response.headers.set("cache-control", "no-store");
  return response;
}

export const config = {
  // Next's build assets, the engine's calls and stored files are public: left out so the proxy neither runs
  // nor buffers their bodies (a proxy clones each request body, up to 10 MB). The rest is classified by path.
  matcher: ["/((?!_next/static/|_next/image$|favicon.ico$|api/inngest$|api/blob/).*)"],
};
