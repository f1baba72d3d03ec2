/** `secretgen generate [NAME…] [--dry-run]` */
import type { Session } from "../session.js";
import { runAndReport } from "./run-report.js";
import { withWriteLock } from "./writing.js";

export default async function generate(
  session: Session,
  names: string[],
  opts: { dryRun?: boolean },
) {
  const decls = await session.declarations();
  const identities = await session.identities("generate");
  const selection = names.length > 0 ? names : undefined;
  const exec = () =>
    runAndReport(session, opts.dryRun ? "generate --dry-run" : "generate", "generating", {
      decls,
      layout: session.layout,
      identities,
      mode: opts.dryRun ? "dry-run" : "generate",
      names: selection,
    });
  return opts.dryRun ? exec() : withWriteLock(session, exec);
}
