/**
 * Applies the embedded drizzle-kit migrations. Bookkeeping is drizzle's own table
 * (drizzle.__drizzle_migrations, ordered by the journal's `when`), so `drizzle-kit migrate` agrees.
 * One transaction under an advisory lock: concurrent starts wait, then find nothing left to do,
 * and a failing migration leaves the database as it was.
 */
import { sql } from "drizzle-orm";
import { migrations as embedded } from "./migrations/embedded";
import type { EmbeddedMigration } from "./migration-files";
import { rowsOf, type Db } from "./types";

// Arbitrary but fixed: every process of this app contends on the same key.
const MIGRATION_LOCK_KEY = 0x7468756d62; // "thumb"

export interface MigrateResult {
  applied: string[];
}

export async function migrate(db: Db, migrations: EmbeddedMigration[] = embedded): Promise<MigrateResult> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${MIGRATION_LOCK_KEY}::bigint)`);
    await tx.execute(sql`create schema if not exists drizzle`);
    await tx.execute(sql`create table if not exists drizzle.__drizzle_migrations (
      id serial primary key, hash text not null, created_at bigint)`);
    const [last] = rowsOf<{ created_at: string | number | null }>(
      await tx.execute(
        sql`select created_at from drizzle.__drizzle_migrations order by created_at desc limit 1`,
      ),
    );
    const lastWhen = last?.created_at == null ? -1 : Number(last.created_at);
    const applied: string[] = [];
    for (const migration of migrations) {
      if (migration.when <= lastWhen) continue;
      for (const statement of migration.statements) await tx.execute(sql.raw(statement));
      await tx.execute(
        sql`insert into drizzle.__drizzle_migrations (hash, created_at) values (${migration.hash}, ${migration.when})`,
      );
      applied.push(migration.tag);
    }
    return { applied };
  });
}
