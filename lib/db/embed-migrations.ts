/**
 * Turns lib/db/migrations/*.sql (written by `npx drizzle-kit generate`) into migrations/embedded.ts,
 * so the app carries its SQL inside the bundle and never needs a migrations folder path at run time.
 * Run: `npx tsx lib/db/embed-migrations.ts` (a test fails when the embedded copy is stale).
 */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { readMigrationFolder, renderEmbedded } from "./migration-files";

const folder = path.join(path.dirname(fileURLToPath(import.meta.url)), "migrations");
const out = path.join(folder, "embedded.ts");
const migrations = readMigrationFolder(folder);
fs.writeFileSync(out, renderEmbedded(migrations));
console.log(`embedded ${migrations.length} migration(s) into ${path.relative(process.cwd(), out)}`);
