/**
 * `secretgen generate [NAME…] [--dry-run]`. A tree whose secrets/secrets.nix secretgen wrote
 * (`export --format agenix`) gets it kept current too, so `check` never fails on the rules
 * alone right after a successful `generate`; a hand-written one is left alone.
 */
import { renderAgenixRules, rulesFileState, writeFileAtomic } from "../../store/index.js";
import type { EarlyDecrypt } from "../../engine/index.js";
import { withEarlyDecrypt } from "../early-decrypt.js";
import type { Session } from "../session.js";
import { runAndReport } from "./run-report.js";
import { withWriteLock } from "./with-lock.js";

export default async function generate(
  session: Session,
  names: string[],
  opts: { dryRun?: boolean },
) {
  return withEarlyDecrypt(session, (early) => generateWith(session, names, opts, early));
}

async function generateWith(
  session: Session,
  names: string[],
  opts: { dryRun?: boolean },
  early: EarlyDecrypt | undefined,
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
      early,
    });
  if (opts.dryRun) return exec();
  return withWriteLock(session, async (layout) => {
    const code = await exec();
    const rules = rulesFileState(decls, layout);
    if (rules.kind === "stale") {
      await writeFileAtomic(rules.path, renderAgenixRules(decls.secrets.values()));
      session.output.info("secretgen: updated secrets/secrets.nix (agenix rules)");
    }
    return code;
  });
}
