import { isHttps, SESSION_COOKIE } from "@/lib/access";
import { htmlResult } from "@/lib/gallery/form-result";
import { crossSite, seeOther } from "@/lib/http";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** The nav's sign-out button: forgets this browser's session; refused when another site posts it. */
export async function POST(request: Request) {
  if (crossSite(request.headers)) {
    return htmlResult(
      403,
      "This form was sent from another site; sign out from the studio's own page.",
      [],
      [{ href: "/", label: "Back to the studio" }],
    );
  }
  const response = seeOther("/signin");
  const secure = isHttps(request.headers, request.url) ? "; Secure" : "";
  response.headers.append(
    "set-cookie",
    `${SESSION_COOKIE}=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax${secure}`,
  );
  return response;
}
