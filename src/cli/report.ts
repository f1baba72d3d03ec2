/**
 * Printing run reports: a line per secret that needs attention, a summary line, or a versioned
 * JSON document (schema in docs/json-output.md).
 */
import type { RunReport, SecretReport } from "../engine/index.js";
import { summaryLine } from "./summary.js";
import type { Warning } from "../errors.js";
import { formatWarning, type Output } from "./output.js";

export const JSON_SCHEMA = "secretgen-report";
export const JSON_VERSION = 1;

/** The document; `earlier` are the warnings printed before the run (Session.warned). */
export function reportJson(
  command: string,
  report: RunReport,
  earlier: readonly Warning[] = [],
): string {
  const summary: Record<string, number> = {};
  for (const s of report.secrets) summary[s.state] = (summary[s.state] ?? 0) + 1;
  return JSON.stringify({
    schema: JSON_SCHEMA,
    version: JSON_VERSION,
    command,
    secrets: report.secrets.map((s) => ({
      name: s.name,
      generator: s.generator,
      hosts: s.hosts,
      state: s.state,
      reason: s.reason ?? null,
    })),
    summary,
    warnings: [...earlier, ...report.warnings].map(formatWarning),
    exitCode: report.exitCode,
  });
}

/** The per-secret lines and the summary, or JSON. Errors of failed secrets go to stderr. */
export function printReport(
  o: Output,
  command: string,
  report: RunReport,
  opts: { json?: boolean; all?: boolean; quiet?: boolean; earlier?: readonly Warning[] },
): void {
  for (const w of report.warnings) o.warning(w);
  for (const s of report.secrets) {
    if (s.error !== undefined) o.fail(s.error);
  }
  if (opts.json) {
    o.out(reportJson(command, report, opts.earlier));
    return;
  }
  const shown = report.secrets.filter((s) => opts.all || s.state !== "unchanged");
  if (!opts.quiet) for (const s of shown) o.out(line(s));
  o.out(summaryLine(report));
}

function line(s: SecretReport): string {
  return `${s.state.padEnd(11)} ${s.name}${s.reason === undefined ? "" : `: ${s.reason}`}`;
}

/** `status`: a table of every secret. */
export function printTable(o: Output, report: RunReport): void {
  const rows = report.secrets.map((s) => [
    s.name,
    s.generator,
    s.hosts.join(","),
    s.state,
    s.reason ?? "",
  ]);
  const head = ["NAME", "GENERATOR", "HOSTS", "STATE", "REASON"];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const fmt = (r: string[]) =>
    r
      .map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i] ?? 0)))
      .join("  ")
      .trimEnd();
  o.out(fmt(head));
  for (const r of rows) o.out(fmt(r));
}
