/**
 * The PGlite client drizzle talks to. drizzle passes the same small `parsers` map with every query
 * (timestamps, dates and intervals kept as text, for its own column mappers), and PGlite merges a
 * per-query map into a copy of its full parser table on every call: about 0.1 ms per statement,
 * a tenth of a cell's database time. Here those parsers are set once on the instance and the
 * per-query copies are dropped, so rows come back exactly as before without the merge
 * (tests/db/pglite-client.test.ts compares both ways over every type drizzle keeps as text).
 */
import { types, type PGlite, type PGliteOptions, type Transaction } from "@electric-sql/pglite";

const AS_TEXT = (value: string) => value;

/** The types drizzle keeps as text (drizzle-orm/pglite session), by OID. */
const DRIZZLE_TEXT_PARSERS: NonNullable<PGliteOptions["parsers"]> = {
  [types.TIMESTAMP]: AS_TEXT,
  [types.TIMESTAMPTZ]: AS_TEXT,
  [types.INTERVAL]: AS_TEXT,
  [types.DATE]: AS_TEXT,
  1231: AS_TEXT, // numeric[]
  1115: AS_TEXT, // timestamp[]
  1185: AS_TEXT, // timestamptz[]
  1187: AS_TEXT, // interval[]
  1182: AS_TEXT, // date[]
};

type QueryOptions = Parameters<PGlite["query"]>[2];
type Queryable = Pick<PGlite, "query"> | Pick<Transaction, "query">;

const OBJECT_ROWS = { rowMode: "object" } as const;
const ARRAY_ROWS = { rowMode: "array" } as const;

function withoutParsers(options: QueryOptions): QueryOptions {
  // drizzle's options are exactly { rowMode, parsers }; anything else keeps its own parsers.
  if (!options?.parsers || Object.keys(options).length !== 2) return options;
  return options.rowMode === "array" ? ARRAY_ROWS : OBJECT_ROWS;
}

function queryWithout<T extends Queryable>(target: T): T["query"] {
  return ((sql: string, params?: unknown[], options?: QueryOptions) =>
    target.query(sql, params, withoutParsers(options))) as T["query"];
}

/**
 * A view of `client` for drizzle: queries (also inside transactions) skip the per-query parser
 * merge. Waits until the instance is ready, because PGlite installs its array parsers during
 * start-up (over any given for array types), then sets drizzle's text parsers on it.
 */
export async function forDrizzle(client: PGlite): Promise<PGlite> {
  await client.waitReady;
  Object.assign(client.parsers, DRIZZLE_TEXT_PARSERS);
  return new Proxy(client, {
    get(target, key, receiver) {
      if (key === "query") return queryWithout(target);
      if (key === "transaction") {
        return <R>(callback: (tx: Transaction) => Promise<R>) =>
          target.transaction((tx) =>
            callback(new Proxy(tx, { get: (t, k) => (k === "query" ? queryWithout(t) : Reflect.get(t, k)) })),
          );
      }
      const value: unknown = Reflect.get(target, key, receiver);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}
