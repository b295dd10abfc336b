/**
 * Provider simulator. Start it with `npm run sim` (prints the env to use) or `startSimulator()` in tests,
 * then set PROVIDER_SIMULATOR_URL=<its url>: lib/providers/registry points the real OpenAI SDK at
 * `<url>/v1` and the real Gemini SDK at `<url>` with dummy keys, and every model becomes available.
 */
export {
  startSimulator,
  type SimStats,
  type Simulator,
  type StartSimulatorOptions,
} from "@/lib/simulator/server";
export {
  FAULT_KINDS,
  PROFILES,
  parseMarkers,
  resolveProfile,
  type FaultKind,
  type SimProfile,
} from "@/lib/simulator/profile";
export type { SimOutcome, SimProvider, SimRequestRecord } from "@/lib/simulator/types";
