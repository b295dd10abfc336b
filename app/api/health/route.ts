import { notAllowed } from "@/lib/http";
import { providerCallsInFlight } from "@/lib/providers/call-limit";

export const dynamic = "force-dynamic";

/** Liveness, and the provider calls under way here (`npm start` waits for them when it is stopped). */
export function GET() {
  return Response.json({ ok: true, providerCalls: providerCallsInFlight() });
}

export const { POST, PUT, PATCH, DELETE, OPTIONS } = notAllowed("GET");
