/** The summary line of a run report. */
import type { RunReport, SecretState } from "../engine/index.js";

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
