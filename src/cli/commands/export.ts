/**
 * `secretgen export --format agenix [--force]`: secrets/secrets.nix for the agenix CLI. A file
 * that secretgen did not write (no header of ours) is someone's hand-written rules: refused,
 * naming the rules that would be lost, unless --force.
 */
import { renderAgenixRules, rulesFileState, writeFileAtomic } from "../../store/index.js";
import { usageError } from "../../errors.js";
import type { Session } from "../session.js";
import { withWriteLock } from "./with-lock.js";

export default async function exportRules(session: Session, opts: { force?: boolean }) {
  const decls = await session.declarations();
  return withWriteLock(session, async (layout) => {
    const state = rulesFileState(decls, layout);
    if (state.kind === "current") {
      session.output.out("secrets/secrets.nix is up to date");
      return 0;
    }
    if (state.kind === "foreign" && opts.force !== true) {
      const shown = state.rules.slice(0, 10).map((r) => JSON.stringify(r));
      const more = state.rules.length > 10 ? ` and ${String(state.rules.length - 10)} more` : "";
      throw usageError(
        `secrets/secrets.nix was not written by secretgen; its rules would be lost${
          state.rules.length === 0 ? "" : `: ${shown.join(", ")}${more}`
        }`,
        {
          hint: "move it away, or pass --force to replace it (declare those secrets first)",
        },
      );
    }
    await writeFileAtomic(state.path, renderAgenixRules(decls.secrets.values()));
    session.output.out("wrote secrets/secrets.nix");
    return 0;
  });
}
