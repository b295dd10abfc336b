/**
 * Which adapter serves a model, and whether it can: dispatch is on the catalog's `provider` field, and a
 * provider is available only with its key set or in simulator mode (PROVIDER_SIMULATOR_URL), where the real
 * SDKs are pointed at the local simulator with a dummy key so a real key is never sent there.
 */
import { PROVIDERS, getModel, listModels, type ModelId } from "@/lib/catalog/models";
import { ProviderUnavailableError } from "@/lib/errors";
import { geminiApiKey, readEnv, type Env } from "@/lib/env";
import { createGoogleProvider } from "@/lib/providers/google";
import { createLocalPreviewProvider } from "@/lib/providers/local-preview";
import { createOpenAIProvider } from "@/lib/providers/openai";
import type { GenerateRequest, GenerateResult, ImageProvider, ProviderId } from "@/lib/providers/types";

export const SIMULATOR_API_KEY = "sim-key";

type Availability = { available: true; simulated: boolean } | { available: false; missingEnv: string };

export function providerAvailability(provider: ProviderId, env: Env = readEnv()): Availability {
  const simulated = env.PROVIDER_SIMULATOR_URL !== undefined;
  switch (provider) {
    case "local-preview":
      return { available: true, simulated: false };
    case "openai":
      if (simulated || env.OPENAI_API_KEY) return { available: true, simulated };
      return { available: false, missingEnv: "OPENAI_API_KEY" };
    case "google":
      if (simulated || geminiApiKey(env)) return { available: true, simulated };
      return { available: false, missingEnv: "GEMINI_API_KEY" };
  }
}

export interface ModelAvailability {
  id: ModelId;
  label: string;
  provider: ProviderId;
  available: boolean;
  /** True when calls go to the local simulator rather than the real provider. */
  simulated: boolean;
  /** The variable to set when unavailable (for Gemini, GOOGLE_API_KEY works too). */
  missingEnv: string | null;
}

export function modelAvailability(env: Env = readEnv()): ModelAvailability[] {
  return listModels().map((m) => {
    const a = providerAvailability(m.provider, env);
    return {
      id: m.id,
      label: m.label,
      provider: m.provider,
      available: a.available,
      simulated: a.available && a.simulated,
      missingEnv: a.available ? null : a.missingEnv,
    };
  });
}

const FACTORIES: Record<ProviderId, (env: Env) => ImageProvider> = {
  "local-preview": () => createLocalPreviewProvider(),
  openai: (env) =>
    createOpenAIProvider({
      apiKey: env.PROVIDER_SIMULATOR_URL ? SIMULATOR_API_KEY : (env.OPENAI_API_KEY ?? ""),
      baseURL: env.PROVIDER_SIMULATOR_URL ? `${env.PROVIDER_SIMULATOR_URL}/v1` : undefined,
      timeoutMs: env.PROVIDER_TIMEOUT_MS,
    }),
  google: (env) =>
    createGoogleProvider({
      apiKey: env.PROVIDER_SIMULATOR_URL ? SIMULATOR_API_KEY : (geminiApiKey(env) ?? ""),
      baseUrl: env.PROVIDER_SIMULATOR_URL,
      timeoutMs: env.PROVIDER_TIMEOUT_MS,
    }),
};

/** Clients are reused while the configuration that built them is unchanged. */
const cache = new Map<string, ImageProvider>();

export function getProvider(modelId: ModelId, env: Env = readEnv()): ImageProvider {
  const model = getModel(modelId);
  const availability = providerAvailability(model.provider, env);
  if (!availability.available)
    throw new ProviderUnavailableError(model.id, model.provider, availability.missingEnv);
  const key = JSON.stringify([
    model.provider,
    env.PROVIDER_SIMULATOR_URL,
    env.PROVIDER_TIMEOUT_MS,
    model.provider === "openai" ? env.OPENAI_API_KEY : model.provider === "google" ? geminiApiKey(env) : "",
  ]);
  let provider = cache.get(key);
  if (!provider) {
    provider = FACTORIES[model.provider](env);
    cache.set(key, provider);
  }
  return provider;
}

/** One generation through whichever adapter the catalog names for the request's model. */
export function generateImage(request: GenerateRequest, env: Env = readEnv()): Promise<GenerateResult> {
  return getProvider(request.model as ModelId, env).generate(request);
}

/** Every provider id that has an adapter; the catalog integrity test checks models against it. */
export const PROVIDER_IDS = Object.keys(FACTORIES) as ProviderId[];
export { PROVIDERS };
