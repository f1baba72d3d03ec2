/**
 * What a run found and did, per secret. The CLI prints these; `--json` serialises them.
 */
import type { GeneratorKind } from "../declarations/types.js";
import { ExitCode, type SecretgenError, type Warning } from "../errors.js";

export type SecretState =
  /** Nothing to do (generate) / up to date (check). */
  | "unchanged"
  | "created"
  | "regenerated"
  /** Data file written again with the same value (it was missing). */
  | "restored"
  /** Same value re-encrypted for new recipients. */
  | "rekeyed"
  /** Only the manifest entry moved (declaration reformatted, value unchanged). */
  | "updated"
  /** check: would be created or restored. */
  | "missing"
  /** check: would be regenerated, rekeyed or updated. */
  | "stale"
  /** Output would change though neither declaration nor dependencies did. */
  | "drift"
  /** A runtime failure for this secret (cannot decrypt, script failed, …). */
  | "failed"
  /** Not processed because a secret it reads failed. */
  | "skipped"
  /** A manual secret with no value yet, or a secret reading one. */
  | "pending"
  /** Files or a manifest entry of a secret no longer declared. */
  | "orphan";

export interface SecretReport {
  name: string;
  generator: GeneratorKind | "unknown";
  hosts: string[];
  state: SecretState;
  reason?: string;
  error?: SecretgenError;
}

export interface RunReport {
  mode: "generate" | "check" | "offline" | "dry-run";
  secrets: SecretReport[];
  /** Warnings to print (no values). */
  warnings: Warning[];
  exitCode: number;
  /** What else the summary line must say (`secrets/secrets.nix out of date`). */
  notes?: string[];
}

/** `created 3, regenerated 1, rekeyed 2, unchanged 40` (states with a count, in this order). */
export function summaryLine(report: RunReport): string {
  const order: SecretState[] = [
    "created",
    "regenerated",
    "restored",
    "rekeyed",
    "updated",
    "unchanged",
    "missing",
    "stale",
    "drift",
    "failed",
    "skipped",
    "pending",
    "orphan",
  ];
  const counts = new Map<SecretState, number>();
  for (const s of report.secrets) counts.set(s.state, (counts.get(s.state) ?? 0) + 1);
  const parts = order.filter((s) => counts.has(s)).map((s) => `${s} ${counts.get(s) ?? 0}`);
  const line = parts.length === 0 ? "no secrets declared" : parts.join(", ");
  return [line, ...(report.notes ?? [])].join("; ");
}

/** The exit status of a run: 3 for runtime failures, 1 (check) for anything out of date. */
export function exitCode(reports: readonly SecretReport[], mode: RunReport["mode"]): number {
  let code: number = ExitCode.ok;
  for (const r of reports) {
    if (
      r.state === "failed" ||
      r.state === "skipped" ||
      (mode === "generate" && r.state === "drift")
    ) {
      code = Math.max(code, ExitCode.runtime);
    } else if (
      mode !== "generate" &&
      mode !== "dry-run" &&
      !["unchanged", "pending"].includes(r.state)
    ) {
      code = Math.max(code, ExitCode.outOfDate);
    }
  }
  return code;
}
