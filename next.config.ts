import type { NextConfig } from "next";

const config: NextConfig = {
  // Separate build folders let several test runs (or a dev server) coexist in one checkout.
  distDir: process.env.NEXT_DIST_DIR || ".next",
  // sharp, pglite and pg are native or wasm-backed: load them from node_modules at run time.
  serverExternalPackages: ["sharp", "@electric-sql/pglite", "pg", "opentype.js"],
  poweredByHeader: false,
};

export default config;
