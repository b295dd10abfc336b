import pg from "pg";
import { createDb } from "@/lib/db";
import { startPostgres } from "../helpers/postgres";
import { repositorySuite } from "./repo-suite";

repositorySuite("PostgreSQL", async () => {
  const server = await startPostgres();
  let fresh = 0;
  return {
    open: () => createDb({ url: server.url }),
    emptyDatabase: async () => {
      // A new database per call, so migration tests start from nothing.
      const name = `empty_${process.pid}_${++fresh}`;
      const admin = new pg.Client({ connectionString: server.url });
      await admin.connect();
      await admin.query(`create database ${name}`);
      await admin.end();
      return { url: server.url.replace(/\/postgres$/, `/${name}`) };
    },
    concurrent: true,
    close: () => server.stop(),
  };
});
