import { defineConfig } from "drizzle-kit";

// Only `drizzle-kit generate` uses this; the app applies migrations itself (lib/db/migrate.ts).
export default defineConfig({
  dialect: "postgresql",
  schema: "./lib/db/schema.ts",
  out: "./lib/db/migrations",
});
