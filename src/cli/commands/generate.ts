/** `secretgen generate [NAME…] [--dry-run]` */
import { run } from "../../engine/run.js";
import { printReport } from "../report.js";
import type { Session } from "../session.js";
import { withWriteLock } from "./writing.js";

export default async function generate(
  session: Session,
  names: string[],
  opts: { dryRun?: boolean },
) {
  const decls = await session.declarations();
  const identities = await session.identities("generate");
  const selection = names.length > 0 ? names : undefined;
  const exec = async () => {
    const progress = session.progress("generating");
    const report = await run({
      onProgress: progress.update,
      decls,
      layout: session.layout,
      identities,
      mode: opts.dryRun ? "dry-run" : "generate",
      names: selection,
      jobs: session.opts.jobs,
    });
    progress.done();
    printReport(session.output, opts.dryRun ? "generate --dry-run" : "generate", report, {
      json: session.opts.json,
      quiet: session.opts.quiet,
    });
    return report.exitCode;
  };
  return opts.dryRun ? exec() : withWriteLock(session, exec);
}
