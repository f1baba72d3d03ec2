/**
 * The decision module, its one public face: what every secret's state is and what must be
 * written for it (with a key: planRun; without: decideOffline), in one table with one set of
 * reasons (reasons.ts). Plans are final when it returns; apply.ts only executes them.
 */
export { planRun, isPluginFailure, type PlanInput, type RunPlan } from "./plan.js";
export { decideOffline, type OfflineFiles, type OfflineInput } from "./offline.js";
export { orphanNames, type StoredListing } from "./orphans.js";
export { runReport } from "./outcome.js";
export { newRecord, type RecordParts } from "./record.js";
export { Scheduler } from "./schedule.js";
export { checkSelection } from "./scope.js";
export { noEntropyOpens } from "./unreadable.js";
export type {
  OutOfDate,
  Plan,
  RunReport,
  SecretReport,
  SecretState,
  StoredSecret,
} from "./types.js";
