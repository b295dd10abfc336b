import { isHttps, safeNext, SESSION_COOKIE, SESSION_MAX_AGE_S, sameText, signSession } from "@/lib/access";
import { accessConfig } from "@/lib/access-config";
import { tooManyAttemptsMessage } from "@/lib/access-throttle";
import { requestHasAccess } from "@/lib/access-request";
import { htmlResult } from "@/lib/gallery/form-result";
import { crossSite, seeOther } from "@/lib/http";
import { signinPage } from "@/lib/signin-page";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** The sign-in form; signed in already (or no password set) → straight on to `next`. */
export async function GET(request: Request) {
  const next = safeNext(new URL(request.url).searchParams.get("next"));
  if (await requestHasAccess(request)) return seeOther(next);
  return signinPage({ next });
}

/** A plain form post (password, next): the session cookie and a 303 to `next`, or the form with the error. */
export async function POST(request: Request) {
  if (crossSite(request.headers)) {
    return htmlResult(
      403,
      "This form was sent from another site.",
      [],
      [{ href: "/signin", label: "Sign in" }],
    );
  }
  let form: FormData;
  try {
    form = await request.formData();
  } catch {
    return signinPage({ next: "/", error: "Send the sign-in form (password and next).", status: 400 });
  }
  const next = safeNext(String(form.get("next") ?? ""));
  const config = await accessConfig(request.headers);
  if (!config.password) return seeOther(next);
  const given = form.get("password");
  if (typeof given !== "string" || given === "") {
    return signinPage({ next, error: "Enter the studio password.", status: 400 });
  }
  const wait = config.throttle?.waitMs() ?? 0;
  if (wait > 0) {
    const response = signinPage({ next, error: tooManyAttemptsMessage(wait), status: 429 });
    response.headers.set("retry-after", String(Math.ceil(wait / 1000)));
    return response;
  }
  if (!sameText(given, config.password)) {
    config.throttle?.fail();
    return signinPage({ next, error: "That password is not right.", status: 401 });
  }
  // Without the session epoch (the database has not answered yet) a cookie would be refused at once.
  if (config.epoch === null) {
    return signinPage({
      next,
      error: "Sessions cannot be started while the studio's database does not answer; try again shortly.",
      status: 503,
    });
  }
  const response = seeOther(next);
  const cookie = [
    `${SESSION_COOKIE}=${signSession(config.password, config.secret, Date.now(), config.epoch)}`,
    "Path=/",
    `Max-Age=${SESSION_MAX_AGE_S}`,
    "HttpOnly",
    "SameSite=Lax",
  ];
  if (isHttps(request.headers, request.url)) cookie.push("Secure");
  response.headers.append("set-cookie", cookie.join("; "));
  return response;
}
