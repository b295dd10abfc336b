/**
 * The public origin of the site (https://host), for absolute URLs in link previews and manifests.
 * APP_URL wins when set (recommended in production: link previews must not trust a spoofable Host);
 * otherwise the proxy's forwarded host and protocol, then Host.
 */

const HOST = /^(?:[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;

export function configuredOrigin(env: Readonly<Record<string, string | undefined>> = process.env) {
  const raw = env.APP_URL?.trim();
  if (!raw) return null;
  try {
    const url = new URL(raw);
    return url.protocol === "http:" || url.protocol === "https:" ? url.origin : null;
  } catch {
    return null;
  }
}

function first(value: string | null): string | null {
  const v = value?.split(",")[0]?.trim();
  return v ? v : null;
}

export function siteOrigin(
  headers: Pick<Headers, "get">,
  env: Readonly<Record<string, string | undefined>> = process.env,
): string | null {
  const configured = configuredOrigin(env);
  if (configured) return configured;
  const host = first(headers.get("x-forwarded-host")) ?? first(headers.get("host"));
  if (!host || !HOST.test(host)) return null;
  const proto = first(headers.get("x-forwarded-proto"));
  const scheme = proto === "https" || proto === "http" ? proto : "http";
  return `${scheme}://${host.toLowerCase()}`;
}
