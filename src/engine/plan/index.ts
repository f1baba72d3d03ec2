/**
 * The decision module, its one public face: what every secret's state is and what must be
 * written for it (with a key: planRun; without: decideOffline), in one table with one set of
 * reasons (reasons.ts). Plans are final when it returns; apply.ts only executes them.
 */
import type { PlanInput, RunPlan } from "./plan.js";

/**
 * The plans of one run of generate or check (plan.ts). Loaded on first use: `check --offline`
 * and `status` need none of the replay, render and script machinery it brings.
 */
export async function planRun(input: PlanInput): Promise<RunPlan> {
  const { planRun } = await import("./plan.js");
  return planRun(input);
}

export type { PlanInput, RunPlan } from "./plan.js";
export { decideOffline, type OfflineFiles, type OfflineInput } from "./offline.js";
export { orphanNames, type StoredListing } from "./orphans.js";
export { runReport } from "./outcome.js";
export { newRecord, type RecordParts } from "./record.js";
export { checkSelection } from "./scope.js";
export type {
  OutOfDate,
  Plan,
  RunReport,
  SecretReport,
  SecretState,
  StoredSecret,
} from "./types.js";
