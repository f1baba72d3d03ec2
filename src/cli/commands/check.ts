/** `secretgen check [NAME…] [--offline]`: writes nothing; exit 1 when anything is out of date. */
import type { Warning } from "../../errors.js";
import { checkOffline } from "../../engine/offline.js";
import { withStaleReaders } from "../../engine/offline-readers.js";
import { exitCode } from "../../engine/report.js";
import { loadManifestWithJournal } from "../../store/journal.js";
import type { RunReport } from "../../engine/report.js";
import { rulesFileState } from "../../store/agenix-rules-file.js";
import type { Declarations } from "../../declarations/types.js";
import type { Layout } from "../../store/layout.js";
import { printReport } from "../report.js";
import type { Session } from "../session.js";

/** secrets/secrets.nix, when present, must match what `export --format agenix` writes. */
export function rulesProblem(decls: Declarations, layout: Layout): string | undefined {
  const state = rulesFileState(decls, layout);
  return state.kind === "stale"
    ? "secrets/secrets.nix is out of date; run `secretgen export --format agenix`"
    : undefined;
}

export default async function check(
  session: Session,
  names: string[],
  opts: { offline?: boolean },
) {
  // Templates are parsed offline too (the fast parser is cheap): a template that generate would
  // refuse is the same declaration error here (exit 2), not only "declaration changed".
  const decls = await session.declarations();
  const layout = session.layout;
  const selection = names.length > 0 ? names : undefined;
  const amend = (report: RunReport) => {
    const rules = rulesProblem(decls, layout);
    if (rules !== undefined) {
      report.warnings.push({ message: rules });
      report.exitCode = Math.max(report.exitCode, 1);
      report.notes = [...(report.notes ?? []), "secrets/secrets.nix out of date"];
    }
  };
  if (!opts.offline) {
    const identities = await session.identities("check (without --offline)");
    const runOpts = { decls, layout, identities, mode: "check" as const, names: selection };
    const { runAndReport } = await import("./run-report.js");
    return runAndReport(session, "check", "checking", runOpts, amend);
  }
  const warnings: Warning[] = [];
  const manifest = loadManifestWithJournal(layout, warnings);
  const secrets = withStaleReaders(checkOffline(decls, manifest, layout, selection), manifest);
  const report: RunReport = {
    mode: "offline",
    secrets,
    warnings,
    exitCode: exitCode(secrets, "offline"),
  };
  amend(report);
  printReport(session.output, "check --offline", report, {
    json: session.opts.json,
    quiet: session.opts.quiet,
  });
  return report.exitCode;
}
