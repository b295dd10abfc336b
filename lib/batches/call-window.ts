import { readEnv } from "@/lib/env";

/**
 * How long a provider call may still be out: the provider timeout and a margin for recording its
 * result. A cancelled cell whose call started within it may yet get its picture.
 */
export const callWindowMs = (): number => readEnv().PROVIDER_TIMEOUT_MS + 30_000;
