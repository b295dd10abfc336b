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
