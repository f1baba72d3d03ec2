/**
 * What `check` finds out of date beside the secrets (it exits 1 for them), and `status` warns
 * about: manifest.json must describe the files (a run killed after its last file and before
 * manifest.json leaves it behind, and a clone, which has no journal, would see those files as
 * changed outside secretgen); secrets/secrets.nix, when secretgen wrote it, must match what
 * `export` would write now.
 */
import type { Declarations } from "../declarations/index.js";
import type { OutOfDate } from "../engine/index.js";
import { rulesProblem, type Layout, type Manifest } from "../store/index.js";

export function outOfDate(decls: Declarations, layout: Layout) {
  return (manifest: Manifest): OutOfDate[] => {
    const out: OutOfDate[] = [];
    const behind = manifest.unrecorded?.size ?? 0;
    if (behind > 0) {
      out.push({
        warning: {
          message: `an interrupted run did not write secrets/manifest.json, which is behind the files of ${String(behind)} secret(s) (a clone, or CI, would see them as changed outside secretgen); run \`secretgen generate\` before committing`,
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
}
