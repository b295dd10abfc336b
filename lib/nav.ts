/** The main navigation's links and which one is the page shown (client-safe). */
export const NAV_LINKS = [
  { href: "/", label: "New batch" },
  { href: "/batches", label: "Batches" },
  { href: "/gallery", label: "Gallery" },
] as const;

/**
 * True when `href` is the page at `pathname` (a trailing slash aside): the link gets aria-current="page".
 * A batch page (/b/<id>) is none of them.
 */
export function isCurrentPage(pathname: string | null, href: string): boolean {
  if (pathname === null) return false;
  const path = pathname.length > 1 ? pathname.replace(/\/+$/, "") : pathname;
  return path === href;
}
