/** What a run's decisions come to: each plan as a report line, and the exit status. */
import { ExitCode, type Warning } from "../../errors.js";
import type { OutOfDate, Plan, RunReport, SecretReport, SecretState } from "./types.js";

export function toReport(plan: Plan, mode: RunReport["mode"]): SecretReport {
  const decl = plan.decl;
  let state: SecretState = plan.state;
  if (mode !== "generate" && state === "pending") state = "missing";
  const r: SecretReport = {
    name: decl.name,
    generator: decl.generator.kind,
    hosts: decl.hosts,
    state,
  };
  if (plan.reason !== undefined) r.reason = plan.reason;
  if (plan.error !== undefined) r.error = plan.error;
  if (plan.skippedForDrift === true) r.skippedForDrift = true;
  return r;
}

/**
 * The exit status of a run: 3 for runtime failures, 1 (check) for anything out of date. Drift is
 * a failure of `generate` and out of date for `check`; a secret skipped because what it reads
 * drifted counts as that drift (its dependency may be outside the names asked for).
 */
export function exitCode(reports: readonly SecretReport[], mode: RunReport["mode"]): number {
  let code: number = ExitCode.ok;
  for (const r of reports) {
    const state = r.skippedForDrift === true ? "drift" : r.state;
    if (state === "failed" || state === "skipped" || (mode === "generate" && state === "drift")) {
      code = Math.max(code, ExitCode.runtime);
    } else if (
      mode !== "generate" &&
      mode !== "dry-run" &&
      !["unchanged", "pending"].includes(state)
    ) {
      code = Math.max(code, ExitCode.outOfDate);
    }
  }
  return code;
}

/**
 * The report of a run: its secrets, its warnings, its exit status; what else is out of date
 * (secrets/secrets.nix) is warned about last, noted in the summary, and makes it exit 1.
 */
export function runReport(
  mode: RunReport["mode"],
  secrets: SecretReport[],
  warnings: Warning[],
  outOfDate: readonly OutOfDate[] = [],
): RunReport {
  const report: RunReport = { mode, secrets, warnings, exitCode: exitCode(secrets, mode) };
  if (outOfDate.length > 0) {
    report.warnings.push(...outOfDate.map((o) => o.warning));
    report.exitCode = Math.max(report.exitCode, ExitCode.outOfDate);
    report.notes = outOfDate.map((o) => o.note);
  }
  return report;
}
