/** The run-status client against a tiny local HTTP server standing in for the engine or Inngest Cloud. */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Inngest } from "inngest";
import { fetchRunStatus, runApiConfig, type RunApiConfig } from "@/lib/batches/run-status";
import { freePort } from "../helpers/ports";

type Reply = { status: number; body: string; stallMs?: number };
const replies = new Map<string, Reply>();
const seen: { url: string; auth: string | undefined; env: string | undefined }[] = [];
let server: http.Server;
let base: string;

const json = (status: number, value: unknown): Reply => ({ status, body: JSON.stringify(value) });

beforeAll(async () => {
  server = http.createServer((req, res) => {
    seen.push({
      url: req.url ?? "",
      auth: req.headers.authorization,
      env: req.headers["x-inngest-env"] as string,
    });
    const reply = replies.get(req.url ?? "") ?? json(404, { error: "no such route" });
    const send = () => {
      if (res.destroyed) return;
      res.writeHead(reply.status, { "content-type": "application/json" }).end(reply.body);
    };
    if (reply.stallMs) setTimeout(send, reply.stallMs);
    else send();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  const run = (status: string) => json(200, { data: { id: "r", status } });
  replies.set("/v1/runs/running", run("Running"));
  replies.set("/v1/runs/queued", run("Queued"));
  for (const s of ["Completed", "Failed", "Cancelled"]) replies.set(`/v1/runs/${s}`, run(s));
  replies.set("/v1/runs/gone", json(404, { error: "run gone not found" }));
  replies.set("/v1/runs/html404", { status: 404, body: "<html>Not Found</html>" });
  replies.set("/v1/runs/broken", json(500, { error: "boom" }));
  replies.set("/v1/runs/bad-json", { status: 200, body: "{not json" });
  replies.set("/v1/runs/no-status", json(200, { data: { id: "r" } }));
  replies.set("/v1/runs/odd", run("Sleeping"));
  replies.set("/v1/runs/slow", { ...run("Running"), stallMs: 1_000 });
  replies.set("/v1/runs/locked", json(401, { error: "unauthorized" }));
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const dev = (): RunApiConfig => ({ baseUrl: base, mode: "dev" });

describe("fetchRunStatus", () => {
  it("tells running runs (Queued counts as running) from ended ones", async () => {
    expect(await fetchRunStatus("running", dev())).toEqual({ state: "running" });
    expect(await fetchRunStatus("queued", dev())).toEqual({ state: "running" });
    for (const status of ["Completed", "Failed", "Cancelled"])
      expect(await fetchRunStatus(status, dev())).toEqual({ state: "ended", status });
  });

  it("calls a JSON 404 missing, and anything doubtful unknown", async () => {
    expect(await fetchRunStatus("gone", dev())).toEqual({ state: "missing" });
    const unknown = async (id: string, config = dev()) => {
      const status = await fetchRunStatus(id, config);
      return status.state === "unknown" ? status.reason : `not unknown: ${status.state}`;
    };
    expect(await unknown("html404")).toBe("HTTP 404 that is not JSON");
    expect(await unknown("broken")).toBe("HTTP 500");
    expect(await unknown("bad-json")).toBe("answer without data.status");
    expect(await unknown("no-status")).toBe("answer without data.status");
    expect(await unknown("odd")).toBe('unexpected run status "Sleeping"');
    expect(await unknown("slow", { ...dev(), timeoutMs: 200 })).toBe("no answer within 200 ms");
    expect(await unknown("locked")).toBe("HTTP 401");
    const closed = `http://127.0.0.1:${await freePort()}/`;
    expect(await unknown("x", { baseUrl: closed, mode: "dev" })).toBe("ECONNREFUSED");
  });

  it("keeps a base URL's path and escapes the run id", async () => {
    replies.set("/inngest/v1/runs/a%2Fb", json(200, { data: { status: "Completed" } }));
    const status = await fetchRunStatus("a/b", { baseUrl: `${base}inngest`, mode: "dev" });
    expect(status).toEqual({ state: "ended", status: "Completed" });
  });

  it("sends the signing key and environment in cloud mode, falls back on refusal, and never asks without a key", async () => {
    seen.length = 0;
    const cloud: RunApiConfig = {
      baseUrl: base,
      mode: "cloud",
      signingKey: "signkey-prod-aa",
      environment: "branch-1",
    };
    expect(await fetchRunStatus("running", cloud)).toEqual({ state: "running" });
    expect(seen).toEqual([{ url: "/v1/runs/running", auth: "Bearer signkey-prod-aa", env: "branch-1" }]);

    seen.length = 0;
    const rotated = { ...cloud, signingKeyFallback: "signkey-prod-bb" };
    expect(await fetchRunStatus("locked", rotated)).toEqual({ state: "unknown", reason: "HTTP 401" });
    expect(seen.map((s) => s.auth)).toEqual(["Bearer signkey-prod-aa", "Bearer signkey-prod-bb"]);

    seen.length = 0;
    expect(await fetchRunStatus("running", { baseUrl: base, mode: "cloud" })).toEqual({
      state: "unknown",
      reason: "no INNGEST_SIGNING_KEY to query Inngest Cloud with",
    });
    expect(seen).toEqual([]);
  });
});

describe("runApiConfig", () => {
  const configFor = (env: Record<string, string>) => {
    const saved = process.env;
    process.env = { NODE_ENV: "test", ...env };
    try {
      return runApiConfig(new Inngest({ id: "probe" }));
    } finally {
      process.env = saved;
    }
  };

  it("asks the server the app's functions run on", () => {
    expect(configFor({ INNGEST_DEV: "http://127.0.0.1:8299" })).toMatchObject({
      baseUrl: "http://127.0.0.1:8299/",
      mode: "dev",
    });
    expect(configFor({ INNGEST_SIGNING_KEY: "signkey-prod-aa" })).toMatchObject({
      baseUrl: "https://api.inngest.com/",
      mode: "cloud",
      signingKey: "signkey-prod-aa",
    });
    expect(
      configFor({ INNGEST_API_BASE_URL: "https://inngest.example/", INNGEST_ENV: "preview" }),
    ).toMatchObject({
      baseUrl: "https://inngest.example/",
      mode: "cloud",
      environment: "preview",
    });
  });
});
