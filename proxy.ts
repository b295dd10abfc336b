/**
 * The studio password gate (STUDIO_PASSWORD, off when unset): signed-out browsers asking for a private
 * page go to /signin, API calls get 401 JSON. Which paths are public lives in lib/access.ts; gated route
 * handlers and server actions check again themselves.
 */
import { NextResponse, type NextRequest } from "next/server";
import { classifyPath, hasAccess, SESSION_COOKIE, signinPath, unauthorizedResponse } from "@/lib/access";
import { accessConfig } from "@/lib/access-config";

export function proxy(request: NextRequest) {
  const config = accessConfig();
  if (!config.password) return NextResponse.next();
  const { pathname, search } = request.nextUrl;
  const kind = classifyPath(request.method, pathname);
  if (kind === "public") return NextResponse.next();
  if (hasAccess(request.headers, request.cookies.get(SESSION_COOKIE)?.value, config)) {
    return NextResponse.next();
  }
  // A server action's fetch cannot follow a redirect to an HTML page: it gets the API answer.
  if (kind === "api" || request.headers.has("next-action")) return unauthorizedResponse();
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
  // Next's build assets never need the gate; everything else is classified by path.
  matcher: ["/((?!_next/static|_next/image|favicon.ico).*)"],
};
