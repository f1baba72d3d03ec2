/** `secretgen status` (`ls`): a table of every secret; with a key it replays, else offline. */
import type { Warning } from "../../errors.js";
import { offlineFiles, decideOffline, type RunReport } from "../../engine/index.js";
import { loadManifestWithJournal } from "../../store/index.js";
import { outOfDate } from "../out-of-date.js";
import { printTable, reportJson } from "../report.js";
import type { Session } from "../session.js";

export default async function status(session: Session, names: string[] = []) {
  const selection = names.length > 0 ? names : undefined;
  const withKey = session.identityPaths().paths.length > 0;
  const decls = await session.declarations({ checkTemplates: withKey });
  const layout = session.layout;
  let report: RunReport;
  if (withKey) {
    const { run } = await import("../../engine/index.js");
    const identities = await session.identities("status");
    const { withEarlyDecrypt } = await import("../early-decrypt.js");
    report = await withEarlyDecrypt(session, (early) =>
      run({
        decls,
        layout,
        identities,
        mode: "check",
        names: selection,
        jobs: session.opts.jobs,
        early,
        outOfDate: outOfDate(decls, layout),
      }),
    );
  } else {
    const warnings: Warning[] = [
      { message: "no identity: states come from manifest.json only (drift is not visible)" },
    ];
    const manifest = loadManifestWithJournal(layout, warnings);
    warnings.push(...outOfDate(decls, layout)(manifest).map((o) => o.warning));
    report = {
      mode: "offline",
      // The same states as `check --offline`.
      secrets: decideOffline({ decls, manifest, files: offlineFiles(layout), names: selection }),
      warnings,
      exitCode: 0,
    };
  }
  for (const w of report.warnings) session.output.warning(w);
  if (session.opts.json) session.output.out(reportJson("status", report, session.warned));
  else printTable(session.output, report);
  return 0;
}
