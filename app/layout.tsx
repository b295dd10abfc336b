import type { Metadata, Viewport } from "next";
import Link from "next/link";
import type { ReactNode } from "react";
import { SignOut } from "@/components/access/sign-out";
import { NavLink } from "@/components/nav-link";
import { NAV_LINKS } from "@/lib/nav";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Thumbnail Studio", template: "%s · Thumbnail Studio" },
  description: "Batch thumbnails: many titles × many image models, composed and shareable.",
};

// Said in the page's head as well, so the browser paints dark before the stylesheet arrives.
export const viewport: Viewport = { colorScheme: "dark" };

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en" className="dark">
      <body className="min-h-screen bg-zinc-950 text-zinc-100 antialiased">
        <a
          href="#main"
          className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-50 btn-secondary"
        >
          Skip to content
        </a>
        <nav className="border-b border-zinc-800" aria-label="Main">
          <div className="mx-auto flex max-w-7xl flex-wrap items-center gap-x-4 gap-y-1 whitespace-nowrap px-4 py-3 text-sm sm:gap-x-6">
            <Link href="/" className="font-semibold text-zinc-100">
              Thumbnail Studio
            </Link>
            {NAV_LINKS.map((link) => (
              <NavLink key={link.href} href={link.href}>
                {link.label}
              </NavLink>
            ))}
            <SignOut />
          </div>
        </nav>
        <div id="main">{children}</div>
      </body>
    </html>
  );
}
