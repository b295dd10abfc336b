/**
 * Domain errors, in one module. Each class knows its HTTP status and a message a person can act on, so
 * routes, server actions and the workflow map failures in one place instead of parsing strings.
 */
import type { ProviderId } from "@/lib/providers/types";

export abstract class DomainError extends Error {
  abstract readonly code: string;
  abstract readonly httpStatus: number;
}

/** A model id that is neither current nor a known retired id. */
export class UnknownModelError extends DomainError {
  readonly code = "unknown_model";
  readonly httpStatus = 400;
  constructor(
    readonly modelId: string,
    known: readonly string[],
    hint?: string,
  ) {
    super(hint ?? `Unknown image model "${modelId}". Choose one of: ${known.join(", ")}.`);
    this.name = "UnknownModelError";
  }
}

/** The model exists but its provider has no credentials (and simulator mode is off). */
export class ProviderUnavailableError extends DomainError {
  readonly code = "provider_unavailable";
  readonly httpStatus = 503;
  constructor(
    readonly modelId: string,
    readonly provider: ProviderId,
    readonly missingEnv: string,
  ) {
    super(
      `Model "${modelId}" needs the ${provider} provider, which is not configured: set ${missingEnv} ` +
        `(or PROVIDER_SIMULATOR_URL to use the local simulator).`,
    );
    this.name = "ProviderUnavailableError";
  }
}

/** Bad configuration read from the environment. */
export class EnvError extends DomainError {
  readonly code = "invalid_env";
  readonly httpStatus = 500;
  constructor(readonly issues: { variable: string; message: string }[]) {
    super(`Invalid environment: ${issues.map((i) => `${i.variable}: ${i.message}`).join("; ")}`);
    this.name = "EnvError";
  }
}

/** A storage key that could escape the store or is otherwise not allowed. */
export class StorageKeyError extends DomainError {
  readonly code = "invalid_storage_key";
  readonly httpStatus = 400;
  constructor(
    readonly key: string,
    reason: string,
  ) {
    super(`Invalid storage key ${JSON.stringify(key.slice(0, 200))}: ${reason}`);
    this.name = "StorageKeyError";
  }
}

export type ProviderErrorKind = "retryable" | "permanent";

export type ProviderErrorReason =
  | "rate_limited"
  | "server_error"
  | "timeout"
  | "connection"
  | "moderation_blocked"
  | "safety_blocked"
  | "invalid_request"
  | "auth"
  | "quota"
  | "malformed_response"
  | "cancelled";

const PERMANENT: ReadonlySet<ProviderErrorReason> = new Set([
  "moderation_blocked",
  "safety_blocked",
  "invalid_request",
  "auth",
  "quota",
  "cancelled",
]);

export interface ProviderErrorInit {
  provider: ProviderId;
  model: string;
  reason: ProviderErrorReason;
  /** What happened. */
  message: string;
  /** What the app's operator can do about it, said after the message (batches show both). */
  advice?: string;
  status?: number | null;
  retryAfterMs?: number | null;
  requestId?: string | null;
  /** Upper bound on extra attempts worth making for this failure, when smaller than the workflow's own. */
  maxRetries?: number | null;
  cause?: unknown;
}

/**
 * A failed provider call, classified. `kind` tells the workflow whether another attempt can help;
 * `retryAfterMs` is the provider's own hint (429 Retry-After, Gemini RetryInfo) when it sent one.
 */
export class ProviderError extends DomainError {
  readonly code = "provider_error";
  readonly kind: ProviderErrorKind;
  readonly provider: ProviderId;
  readonly model: string;
  readonly reason: ProviderErrorReason;
  readonly status: number | null;
  readonly retryAfterMs: number | null;
  readonly requestId: string | null;
  readonly maxRetries: number | null;
  /** The message without the operator's advice: for a one-off command, which has no app to set up. */
  readonly fact: string;

  constructor(init: ProviderErrorInit) {
    const message = init.advice ? `${init.message} ${init.advice}` : init.message;
    super(message, init.cause === undefined ? undefined : { cause: init.cause });
    this.fact = init.message;
    this.name = "ProviderError";
    this.provider = init.provider;
    this.model = init.model;
    this.reason = init.reason;
    this.kind = PERMANENT.has(init.reason) ? "permanent" : "retryable";
    this.status = init.status ?? null;
    this.retryAfterMs = init.retryAfterMs ?? null;
    this.requestId = init.requestId ?? null;
    this.maxRetries = init.maxRetries ?? null;
  }

  get retryable(): boolean {
    return this.kind === "retryable";
  }

  get httpStatus(): number {
    if (this.reason === "rate_limited") return 429;
    if (this.reason === "invalid_request" || this.reason === "moderation_blocked") return 422;
    if (this.reason === "safety_blocked") return 422;
    return 502;
  }

  /** Plain JSON for the database and event payloads (Error fields are not enumerable). */
  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      provider: this.provider,
      model: this.model,
      kind: this.kind,
      reason: this.reason,
      status: this.status,
      retryAfterMs: this.retryAfterMs,
      requestId: this.requestId,
      message: this.message,
    };
  }
}

export function isProviderError(error: unknown): error is ProviderError {
  return error instanceof ProviderError;
}

/** HTTP status and a user-facing message for any thrown value; unknown errors stay generic. */
export function toHttpError(error: unknown): { status: number; code: string; message: string } {
  if (error instanceof DomainError)
    return { status: error.httpStatus, code: error.code, message: error.message };
  return { status: 500, code: "internal_error", message: "Something went wrong. Please try again." };
}
