/**
 * A throwaway PostgreSQL server for tests, from Debian's `postgresql` binaries: initdb into a temp
 * folder, start on a free port, hand back its URL. Postgres refuses to run as root, so under root
 * the server runs as the `postgres` user (or `nobody`) and owns its temp folder.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import pg from "pg";

export interface PostgresServer {
  url: string;
  stop(): Promise<void>;
}

const INSTALL_HINT =
  "PostgreSQL server binaries not found under /usr/lib/postgresql/*/bin; install them with: " +
  "apt-get install -y --no-install-recommends postgresql (prefix sudo when not root)";

export function findPostgresBin(root = "/usr/lib/postgresql"): string {
  const versions = fs.existsSync(root)
    ? fs
        .readdirSync(root)
        .filter((v) => fs.existsSync(path.join(root, v, "bin", "postgres")))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  const version = versions[0];
  if (version === undefined) throw new Error(INSTALL_HINT);
  return path.join(root, version, "bin");
}

interface RunAs {
  uid: number;
  gid: number;
}

function unprivilegedUser(): RunAs | undefined {
  if (process.getuid?.() !== 0) return undefined;
  for (const name of ["postgres", "nobody"]) {
    const uid = spawnSync("id", ["-u", name], { encoding: "utf8" });
    const gid = spawnSync("id", ["-g", name], { encoding: "utf8" });
    if (uid.status === 0 && gid.status === 0) {
      return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
    }
  }
  throw new Error("running as root, but neither user `postgres` nor `nobody` exists to run Postgres");
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function run(bin: string, args: string[], as: RunAs | undefined): void {
  const result = spawnSync(bin, args, { encoding: "utf8", ...as, env: { ...process.env, LC_ALL: "C" } });
  if (result.status !== 0) {
    throw new Error(`${path.basename(bin)} failed (${result.status}): ${result.stderr || result.stdout}`);
  }
}

async function waitReady(url: string, server: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (server.exitCode !== null) throw new Error(`postgres exited early:\n${log()}`);
    const client = new pg.Client({ connectionString: url });
    try {
      await client.connect();
      await client.query("select 1");
      return;
    } catch (error) {
      if (Date.now() > deadline)
        throw new Error(`postgres did not start in 30 s: ${String(error)}\n${log()}`);
    } finally {
      await client.end().catch(() => undefined);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export async function startPostgres(): Promise<PostgresServer> {
  const bin = findPostgresBin();
  const as = unprivilegedUser();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "thumb-pg-"));
  if (as) fs.chownSync(dir, as.uid, as.gid);
  const data = path.join(dir, "data");
  try {
    run(
      path.join(bin, "initdb"),
      // C collation (byte order, as before), but a UTF-8 character type as hosted servers have, so
      // upper/lower case (ILIKE) covers every script, as on PGlite. Debian always has C.UTF-8.
      ["-D", data, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-locale", "--lc-ctype=C.UTF-8", "-N"],
      as,
    );
  } catch (error) {
    fs.rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  const port = await freePort();
  // Durability off: the data is thrown away, and fsync dominates test time.
  const args = ["-D", data, "-p", String(port), "-k", dir, "-c", "listen_addresses=127.0.0.1"];
  for (const setting of [
    "fsync=off",
    "synchronous_commit=off",
    "full_page_writes=off",
    "max_connections=40",
  ]) {
    args.push("-c", setting);
  }
  const server = spawn(path.join(bin, "postgres"), args, { ...as, stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  server.stderr?.on("data", (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  // Never leave a server behind if the test process exits without calling stop().
  const killOnExit = () => server.kill("SIGKILL");
  process.once("exit", killOnExit);
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  const stop = async () => {
    process.removeListener("exit", killOnExit);
    if (server.exitCode === null && server.signalCode === null) {
      const exited = new Promise<void>((resolve) => server.once("exit", () => resolve()));
      server.kill("SIGINT"); // fast shutdown
      const timer = setTimeout(() => server.kill("SIGKILL"), 10_000);
      await exited;
      clearTimeout(timer);
    }
    fs.rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitReady(url, server, () => stderr);
  } catch (error) {
    await stop();
    throw error;
  }
  return { url, stop };
}
