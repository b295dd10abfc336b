import type { NextConfig } from "next";

const config: NextConfig = {
  // Separate build folders let several test runs (or a dev server) coexist in one checkout.
  distDir: process.env.NEXT_DIST_DIR || ".next",
  // sharp, pglite, pg and harfbuzzjs are native or wasm-backed: load them from node_modules at run time.
  // The SDKs too: bundled, each route group carried its own 3.4 MB copy of openai + inngest + genai
  // (five in all), each parsed, compiled and kept in memory separately once its routes were used.
  serverExternalPackages: [
    "sharp",
    "@electric-sql/pglite",
    "pg",
    "opentype.js",
    "harfbuzzjs",
    "inngest",
    "openai",
    "@google/genai",
    "@vercel/blob",
    "drizzle-orm",
    "zod",
  ],
  poweredByHeader: false,
  experimental: {
    // The studio form posts every title (a server action, 1 MB by default): up to 10,000 titles of
    // 200 characters (HARD_MAX_IMAGES, lib/batches/input.ts), 4 bytes each at most, plus the form's
    // per-field framing.
    serverActions: { bodySizeLimit: "10mb" },
  },
  // The compositor reads the shipped font files at run time; serverless bundles must include them.
  outputFileTracingIncludes: { "/**": ["./public/fonts/**/*"] },
  images: {
    // Thumbnails are served at the size shown: local blob route in embedded mode, Vercel Blob in production.
    localPatterns: [{ pathname: "/api/blob/**" }],
    remotePatterns: [{ protocol: "https", hostname: "*.public.blob.vercel-storage.com" }],
    formats: ["image/webp"],
    // The largest canvas is 1280 px wide, so wider variants (up to 3840 by default) only re-encoded the
    // original under another URL. Five widths instead of eight also shorten every thumbnail's srcset.
    deviceSizes: [640, 750, 828, 1080, 1280],
    imageSizes: [256, 384],
  },
};

export default config;
