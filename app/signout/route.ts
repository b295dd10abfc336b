import { accessDecision, cookieValue, isHttps, SESSION_COOKIE } from "@/lib/access";
import { accessConfig } from "@/lib/access-config";
import { htmlResult } from "@/lib/gallery/form-result";
import { crossSite, seeOther } from "@/lib/http";
import { endAllSessions } from "@/lib/session-epoch";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/**
 * The nav's sign-out buttons: forgets this browser's session, or with `everywhere` ends every session
 * (lib/session-epoch.ts), copies of this cookie included, for whoever may pass the gate (a signed-in
 * browser, the password or ADMIN_TOKEN); refused when another site posts it.
 */
export async function POST(request: Request) {
  if (crossSite(request.headers)) {
    return htmlResult(
      403,
      "This form was sent from another site; sign out from the studio's own page.",
      [],
      [{ href: "/", label: "Back to the studio" }],
    );
  }
  const form = await request.formData().catch(() => null);
  if (form?.get("everywhere")) {
    const config = await accessConfig(request.headers);
    if (!config.password) {
      return htmlResult(
        409,
        "This studio has no password, so there are no sessions to end.",
        [],
        [{ href: "/", label: "Back to the studio" }],
      );
    }
    const cookie = cookieValue(request.headers, SESSION_COOKIE);
    if (!accessDecision(request.headers, cookie, config).granted) {
      return htmlResult(
        401,
        "Sign in first to sign everyone out: this browser's session has already ended.",
        [],
        [{ href: "/signin", label: "Sign in" }],
      );
    }
    await endAllSessions();
  }
  const response = seeOther("/signin");
  const secure = isHttps(request.headers, request.url) ? "; Secure" : "";
  response.headers.append(
    "set-cookie",
    `${SESSION_COOKIE}=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax${secure}`,
  );
  return response;
}
