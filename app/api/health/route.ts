import { sql } from "drizzle-orm";
import { getDb } from "@/lib/db";
import { notAllowed, apiRoute } from "@/lib/http";
import { providerCallsInFlight } from "@/lib/providers/call-limit";

export const dynamic = "force-dynamic";

/**
 * Health: 200 when the database answers, 503 with why when it does not (a server up without its
 * database only fails requests); either way the provider calls under way here, which `npm start`
 * waits for when it is stopped.
 */
export const GET = apiRoute(async function GET() {
  const providerCalls = providerCallsInFlight();
  try {
    await (await getDb()).execute(sql`select 1`);
    return Response.json({ ok: true, db: "ok", providerCalls });
  } catch (error) {
    const db = `cannot reach the database: ${(error as Error).message}`;
    return Response.json({ ok: false, db, providerCalls }, { status: 503 });
  }
});

export const { POST, PUT, PATCH, DELETE, OPTIONS } = notAllowed("GET");
