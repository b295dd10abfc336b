"use client";
/** A link of the main navigation, marked (aria-current and its look) while its page is shown. */
import Link from "next/link";
import { usePathname } from "next/navigation";
import type { ReactNode } from "react";
import { isCurrentPage } from "@/lib/nav";

export function NavLink({ href, children }: { href: string; children: ReactNode }) {
  // The layout stays mounted across client-side navigation: the path decides, not the first render.
  const current = isCurrentPage(usePathname(), href);
  return (
    <Link
      href={href}
      aria-current={current ? "page" : undefined}
      className={
        current
          ? "font-medium text-zinc-100 underline decoration-sky-400 decoration-2 underline-offset-8"
          : "text-zinc-400 hover:text-zinc-100"
      }
    >
      {children}
    </Link>
  );
}
