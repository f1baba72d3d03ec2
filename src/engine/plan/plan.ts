/**
 * The decisions of one run of generate or check, final when `planRun` returns: which secrets
 * are in scope, the plan of each (decide.ts), their report lines and the orphans. Refuses the
 * run at once when no identity opens any entropy file, or when an age plugin failed.
 */
import { compareNames } from "../../declarations/index.js";
import { decideInSteps, type DecideInput } from "./decide.js";
import { orphans, type StoredListing } from "./orphans.js";
import { isPluginFailure } from "../plugin-failure.js";
import { toReport } from "./outcome.js";
import { inScope, makes, neverGenerated, withReaders } from "./scope.js";
import type { Plan, RunReport, SecretReport } from "./types.js";
import { noEntropyOpens } from "./unreadable.js";

export interface PlanInput extends Omit<DecideInput, "mode" | "rotate" | "discover" | "onDecided"> {
  mode: "generate" | "check" | "dry-run";
  /**
   * Only these secrets, the secrets that read them (they follow), the secrets they read that
   * must be created or regenerated for them to render, and the other readers of those; nothing
   * else is planned or reported.
   */
  names?: string[];
  /** Regenerate these with new randomness (and re-render their readers). */
  rotate: string[];
  /** An identity is an age plugin's (it may open nothing because its question was declined). */
  viaPlugin: boolean;
  /** Where the orphans are found (a run of every secret reports them). */
  files: StoredListing;
  /** Progress: secrets decided so far, out of how many. */
  onProgress?: (done: number, total: number) => void;
}

export interface RunPlan {
  /** The plans in scope: what apply writes. */
  plans: Map<string, Plan>;
  /** A line per secret in scope, sorted by name, then the orphans. */
  secrets: SecretReport[];
}

export async function planRun(input: PlanInput): Promise<RunPlan> {
  const { decls, manifest, stored } = input;
  const unreadable = noEntropyOpens(
    stored,
    manifest.admins.length > 0 ? manifest.admins : decls.admins,
    input.viaPlugin,
  );
  if (unreadable !== undefined) throw unreadable;
  const all = [...decls.secrets.keys()];
  const named = [...(input.names ?? []), ...input.rotate, ...(input.values?.keys() ?? [])];
  let selected =
    input.names === undefined && named.length === 0
      ? undefined
      : withReaders(named, decls, manifest, stored);
  const candidates = new Set(
    selected === undefined
      ? []
      : neverGenerated(decls, manifest, stored).filter((n) => !selected?.has(n)),
  );
  let total = selected?.size ?? all.length;
  const decide = decideInSteps({
    ...input,
    mode: input.mode === "generate" ? "generate" : "check",
    rotate: new Set(input.rotate),
    discover: candidates,
    onDecided: (done) => input.onProgress?.(done, total),
  });
  let decided = await decide(
    selected === undefined ? all : all.filter((n) => selected?.has(n) || candidates.has(n)),
  );
  let plans = inScope(decided, selected, candidates);
  // A secret outside the names that must get a new value for them (a dependency whose
  // declaration changed) brings its other readers along: none may keep the old value.
  while (selected !== undefined) {
    const scope: ReadonlySet<string> = selected;
    const pulled = [...plans].filter(([n, p]) => !scope.has(n) && makes(p)).map(([n]) => n);
    const more = [...withReaders(pulled, decls, manifest, stored)].filter((n) => !scope.has(n));
    if (more.length === 0) break;
    selected = new Set([...scope, ...more]);
    total = selected.size;
    decided = await decide(more);
    plans = inScope(decided, selected, candidates);
  }
  // A plugin that failed (missing, crashed, timed out, …) fails the run once, nothing written.
  for (const plan of plans.values()) if (isPluginFailure(plan.error)) throw plan.error;
  const secrets: SecretReport[] = [];
  const mode: RunReport["mode"] = input.mode;
  for (const name of [...plans.keys()].sort(compareNames)) {
    const plan = plans.get(name);
    if (plan) secrets.push(toReport(plan, mode));
  }
  if (selected === undefined) secrets.push(...orphans(decls, manifest, input.files));
  return { plans, secrets };
}
