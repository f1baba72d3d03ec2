/** `secretgen check [NAME…] [--offline]`: writes nothing; exit 1 when anything is out of date. */
import type { Warning } from "../../errors.js";
import { offlineFiles, decideOffline, runReport, type EarlyDecrypt } from "../../engine/index.js";
import { loadManifestWithJournal } from "../../store/index.js";
import { outOfDate } from "../out-of-date.js";
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
  const besides = outOfDate(decls, layout);
  if (!opts.offline) {
    const identities = await session.identities("check (without --offline)");
    const runOpts = {
      decls,
      layout,
      identities,
      mode: "check" as const,
      names: selection,
      outOfDate: besides,
      early,
    };
    const { runAndReport } = await import("./run-report.js");
    return runAndReport(session, "check", "checking", runOpts);
  }
  const warnings: Warning[] = [];
  const manifest = loadManifestWithJournal(layout, warnings);
  const files = offlineFiles(layout);
  const secrets = decideOffline({ decls, manifest, files, names: selection });
  const report = runReport("offline", secrets, warnings, besides(manifest));
  printReport(session.output, "check --offline", report, {
    json: session.opts.json,
    quiet: session.opts.quiet,
    earlier: session.warned,
  });
  return report.exitCode;
}
