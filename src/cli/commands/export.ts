/** `secretgen export --format agenix`: secrets/secrets.nix for the agenix CLI. */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { renderAgenixRules } from "../../store/agenix-rules.js";
import { writeFileAtomic } from "../../store/atomic.js";
import { rulesProblem } from "./check.js";
import type { Session } from "../session.js";
import { withWriteLock } from "./writing.js";

export default async function exportRules(session: Session) {
  const decls = await session.declarations();
  return withWriteLock(session, async (layout) => {
    const path = join(layout.secretsDir, "secrets.nix");
    if (existsSync(path) && rulesProblem(decls, layout) === undefined) {
      session.output.out("secrets/secrets.nix is up to date");
      return 0;
    }
    await writeFileAtomic(path, renderAgenixRules(decls.secrets.values()));
    session.output.out("wrote secrets/secrets.nix");
    return 0;
  });
}
