/**
 * An in-memory PGlite database, opened as the app opens one (forDrizzle, drizzle, migrations), that counts
 * what reaches the engine: each statement, and each transaction (whose BEGIN and COMMIT are round trips
 * of their own). With a Postgres server each of these is a network round trip.
 */
import { PGlite, type Transaction } from "@electric-sql/pglite";
import { drizzle } from "drizzle-orm/pglite";
import { migrate, type Db } from "@/lib/db";
import { forDrizzle } from "@/lib/db/pglite-client";
import * as schema from "@/lib/db/schema";

export interface Counts {
  statements: number;
  transactions: number;
  /** The statements' SQL, in order (transactions as "begin"). */
  log: string[];
}

export async function countedDb(): Promise<{
  db: Db;
  counts: Counts;
  reset(): void;
  close(): Promise<void>;
}> {
  const client = new PGlite();
  const counts: Counts = { statements: 0, transactions: 0, log: [] };
  const note = (text: string) => {
    counts.statements++;
    counts.log.push(text.replace(/\s+/g, " ").slice(0, 160));
  };
  const query = client.query.bind(client);
  const transaction = client.transaction.bind(client);
  Object.assign(client, {
    query: (text: string, ...rest: unknown[]) => {
      note(text);
      return (query as (...args: unknown[]) => unknown)(text, ...rest);
    },
    transaction: <T>(callback: (tx: Transaction) => Promise<T>) =>
      transaction((tx) => {
        counts.transactions++;
        counts.log.push("begin");
        const counted = new Proxy(tx, {
          get: (target, key) =>
            key === "query"
              ? (text: string, ...rest: unknown[]) => {
                  note(text);
                  return (target.query as (...args: unknown[]) => unknown)(text, ...rest);
                }
              : Reflect.get(target, key),
        });
        return callback(counted);
      }),
  });
  const db = drizzle({ client: await forDrizzle(client), schema }) as unknown as Db;
  await migrate(db);
  const reset = () => {
    counts.statements = 0;
    counts.transactions = 0;
    counts.log = [];
  };
  reset();
  return { db, counts, reset, close: () => client.close() };
}
