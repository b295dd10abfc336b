/**
 * An id no batch has, asked of every route that takes one on an in-memory database: the same 404, worded
 * the same way and naming the same field, whichever route it was.
 */
import { describe, expect, it } from "vitest";
import { restyleBatch } from "@/lib/batches/restyle";
import { memoryApp } from "../helpers/memory-app";

memoryApp("unknown-batch-");

const routes = {
  batch: await import("@/app/api/batches/[id]/route"),
  zip: await import("@/app/api/batches/[id]/zip/route"),
  "contact-sheet": await import("@/app/api/batches/[id]/contact-sheet/route"),
  events: await import("@/app/api/batches/[id]/events/route"),
};

const ID = "no-such-batch";
const expected = { error: `No batch with id "${ID}".`, issues: [{ path: "id", message: "unknown batch" }] };
const params = { params: Promise.resolve({ id: ID }) };

describe("an unknown batch id", () => {
  it.each(Object.keys(routes) as (keyof typeof routes)[])("is the same 404 from GET %s", async (name) => {
    const res = await routes[name].GET(new Request(`http://localhost/api/batches/${ID}`), params);
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual(expected);
  });

  // The owner controls' 404 (lib/batches/manage.ts) is asserted in manage-refusals.test.ts.
  it("is the same refusal from restyle", async () => {
    expect(await restyleBatch(ID, {})).toEqual({ ok: false, status: 404, ...expected });
  });
});
