import { serve } from "inngest/next";
import { inngest } from "@/inngest/client";
import { functions } from "@/inngest/functions";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";
// A cell's provider call can take minutes; allow long step executions where the platform caps them.
export const maxDuration = 800;

export const { GET, POST, PUT } = serve({ client: inngest, functions });
