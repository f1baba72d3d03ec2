/**
 * `check --offline` after a declaration change: the changed secret is stale, and so is every
 * secret that reads it (its value follows the new one), although their files did not change yet.
 * The manifest knows who read whom (each entry's `dependencies`), so the offline report lists the
 * readers too, as `check` does, transitively.
 */
import type { Manifest } from "../store/manifest.js";
import type { SecretReport } from "./report.js";

/** Reports whose secret gets a new value in the next `generate`. */
function changes(r: SecretReport): boolean {
  return r.state === "stale" && r.reason === "declaration changed";
}

/** `reports` with the unchanged readers of changing secrets marked stale (a new array). */
export function withStaleReaders(
  reports: readonly SecretReport[],
  manifest: Manifest,
): SecretReport[] {
  const out = reports.map((r) => ({ ...r }));
  const changing = new Set(out.filter(changes).map((r) => r.name));
  for (let grew = changing.size > 0; grew;) {
    grew = false;
    for (const r of out) {
      if (r.state !== "unchanged") continue;
      const deps = Object.keys(manifest.secrets.get(r.name)?.dependencies ?? {}).sort();
      const dep = deps.find((d) => changing.has(d));
      if (dep === undefined) continue;
      r.state = "stale";
      r.reason = `reads ${JSON.stringify(dep)}, which will change`;
      changing.add(r.name);
      grew = true;
    }
  }
  return out;
}
