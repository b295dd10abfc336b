import type { NextConfig } from "next";

const config: NextConfig = {
  // Separate build folders let several test runs (or a dev server) coexist in one checkout.
  distDir: process.env.NEXT_DIST_DIR || ".next",
  // sharp, pglite, pg and harfbuzzjs are native or wasm-backed: load them from node_modules at run time.
  serverExternalPackages: ["sharp", "@electric-sql/pglite", "pg", "opentype.js", "harfbuzzjs"],
  poweredByHeader: false,
  // The compositor reads the shipped font files at run time; serverless bundles must include them.
  outputFileTracingIncludes: { "/**": ["./public/fonts/**/*"] },
  images: {
    // Thumbnails are served at the size shown: local blob route in embedded mode, Vercel Blob in production.
    localPatterns: [{ pathname: "/api/blob/**" }],
    remotePatterns: [{ protocol: "https", hostname: "*.public.blob.vercel-storage.com" }],
    formats: ["image/webp"],
  },
};

export default config;
