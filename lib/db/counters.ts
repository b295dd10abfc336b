/** Named counters shared by every server of a deployment (app_counters): read one, or raise it by one. */
import { eq, sql } from "drizzle-orm";
import { appCounters } from "./schema";
import type { Executor } from "./types";

/** The counter's value; 0 for one never raised. */
export async function readCounter(db: Executor, name: string): Promise<number> {
  const [row] = await db
    .select({ value: appCounters.value })
    .from(appCounters)
    .where(eq(appCounters.name, name));
  return row?.value ?? 0;
}

/** Raises the counter by one in one statement (concurrent raises each count) and returns its new value. */
export async function raiseCounter(db: Executor, name: string): Promise<number> {
  const [row] = await db
    .insert(appCounters)
    .values({ name, value: 1 })
    .onConflictDoUpdate({
      target: appCounters.name,
      set: { value: sql`${appCounters.value} + 1`, updatedAt: sql`now()` },
    })
    .returning({ value: appCounters.value });
  return row!.value;
}
