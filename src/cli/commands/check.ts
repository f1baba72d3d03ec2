/** `secretgen check [NAME…] [--offline]`: writes nothing; exit 1 when anything is out of date. */
import type { Warning } from "../../errors.js";
import {
  offlineFiles,
  decideOffline,
  runReport,
  type EarlyDecrypt,
  type OutOfDate,
} from "../../engine/index.js";
import { loadManifestWithJournal, rulesProblem, type Manifest } from "../../store/index.js";
import { printReport } from "../report.js";
import type { Session } from "../session.js";

export default async function check(
  session: Session,
  names: string[],
  opts: { offline?: boolean },
) {
  if (opts.offline) return checkWith(session, names, opts, undefined);
  const { withEarlyDecrypt } = await import("../early-decrypt.js");
  return withEarlyDecrypt(session, (early) => checkWith(session, names, opts, early));
}

async function checkWith(
  session: Session,
  names: string[],
  opts: { offline?: boolean },
  early: EarlyDecrypt | undefined,
) {
  // Templates are parsed offline too (the fast parser is cheap): a template that generate would
  // refuse is the same declaration error here (exit 2), not only "declaration changed".
  const decls = await session.declarations();
  const layout = session.layout;
  const selection = names.length > 0 ? names : undefined;
  // manifest.json must describe the files (a run killed after its last file and before
  // manifest.json leaves it behind: a clone would see drift); secrets/secrets.nix, when
  // secretgen wrote it, must match what `export` would write now.
  const outOfDate = (manifest: Manifest): OutOfDate[] => {
    const out: OutOfDate[] = [];
    const unrecorded = manifest.unrecorded?.size ?? 0;
    if (unrecorded > 0) {
      out.push({
        warning: {
          message: `an interrupted run wrote the files of ${String(unrecorded)} secret(s) but not secrets/manifest.json, which a clone (or CI) needs to see them as secretgen's; run \`secretgen generate\``,
        },
        note: "secrets/manifest.json out of date",
      });
    }
    const rules = rulesProblem(decls, layout);
    if (rules !== undefined) {
      out.push({
        warning: { message: `${rules}; run \`secretgen export --format agenix\`` },
        note: "secrets/secrets.nix out of date",
      });
    }
    return out;
  };
  if (!opts.offline) {
    const identities = await session.identities("check (without --offline)");
    const runOpts = {
      decls,
      layout,
      identities,
      mode: "check" as const,
      names: selection,
      outOfDate,
      early,
    };
    const { runAndReport } = await import("./run-report.js");
    return runAndReport(session, "check", "checking", runOpts);
  }
  const warnings: Warning[] = [];
  const manifest = loadManifestWithJournal(layout, warnings);
  const files = offlineFiles(layout);
  const secrets = decideOffline({ decls, manifest, files, names: selection });
  const report = runReport("offline", secrets, warnings, outOfDate(manifest));
  printReport(session.output, "check --offline", report, {
    json: session.opts.json,
    quiet: session.opts.quiet,
    earlier: session.warned,
  });
  return report.exitCode;
}
