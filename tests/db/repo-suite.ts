/**
 * The repository contract, run once per driver (pglite.test.ts, postgres.test.ts): every function must
 * behave identically on PGlite and on a real Postgres server.
 */
import { afterAll, beforeAll, describe } from "vitest";
import type { DbHandle, DbOptions } from "@/lib/db";
import { batchTests } from "./suite-batches";
import { cellTests } from "./suite-cells";
import { galleryTests } from "./suite-gallery";
import { migrationTests } from "./suite-migrations";
import { reserveTests } from "./suite-reserve";

export interface Driver {
  /** Opens a new, migrated database for the shared tests. */
  open(): Promise<DbHandle>;
  /** Options for a new, empty database (a fresh one each call); several handles may share it when concurrent. */
  emptyDatabase(): Promise<DbOptions>;
  /** Whether separate handles can open the same database at once (true for Postgres). */
  concurrent: boolean;
  close(): Promise<void>;
}

export interface Ctx {
  handle: DbHandle;
  driver: Driver;
}

export function repositorySuite(name: string, makeDriver: () => Promise<Driver>): void {
  describe(`db repository on ${name}`, () => {
    const ctx = {} as Ctx;
    beforeAll(async () => {
      ctx.driver = await makeDriver();
      ctx.handle = await ctx.driver.open();
    });
    afterAll(async () => {
      await ctx.handle?.close();
      await ctx.driver?.close();
    });
    migrationTests(ctx);
    batchTests(ctx);
    cellTests(ctx);
    reserveTests(ctx);
    galleryTests(ctx);
  });
}
