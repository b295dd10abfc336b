import type { NextConfig } from "next";

const config: NextConfig = {
  // sharp, pglite and pg are native or wasm-backed: load them from node_modules at run time.
  serverExternalPackages: ["sharp", "@electric-sql/pglite", "pg", "opentype.js"],
  poweredByHeader: false,
};

export default config;
