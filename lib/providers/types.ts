/**
 * The one interface every image provider implements. Prompt and options in; bytes, mime type and
 * metadata out. Provider JSON never leaves lib/providers/<name>.
 */
export type ProviderId = "openai" | "google" | "local-preview";

export interface GenerateRequest {
  /** Catalog model id (already resolved from any retired id). */
  model: string;
  /** Full prompt text built by lib/prompt. */
  prompt: string;
  /** Pixel size to ask the provider for (one of the model's native sizes). */
  width: number;
  height: number;
  /** Quality tier id when the model has tiers (e.g. "low" | "medium" | "high"). */
  quality?: string;
  /** Style id: the offline renderer uses it for its palette; remote providers ignore it. */
  style?: string;
  /** Deterministic seed for renderers that honour one. */
  seed?: number;
  /** Abort the provider call (timeouts, cancellation). */
  signal?: AbortSignal;
}

export interface GenerateResult {
  bytes: Buffer;
  mime: string;
  width: number;
  height: number;
  /** Provider's request id (x-request-id, responseId, …); null when the provider has none. */
  requestId: string | null;
  /** Token usage as reported by the provider, when it reports any. */
  usage: Record<string, number> | null;
  /** Cost of this call in USD: from usage when possible, else the catalog's list price. */
  costUsd: number;
}

export interface ImageProvider {
  id: ProviderId;
  generate(request: GenerateRequest): Promise<GenerateResult>;
}
