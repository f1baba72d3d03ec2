/**
 * Orphans: files or manifest entries of secrets that are no longer declared. `generate` and
 * `check` name them; only `prune` deletes them.
 */
import { compareNames } from "../declarations/names.js";
import type { Declarations } from "../declarations/types.js";
import type { Layout } from "../store/layout.js";
import type { Manifest } from "../store/manifest.js";
import type { SecretReport } from "./report.js";

/** Names of undeclared secrets that still have files or a manifest entry. */
export function orphanNames(decls: Declarations, manifest: Manifest, layout: Layout): string[] {
  const stored = layout.listStored();
  const found = new Set<string>([
    ...stored.data,
    ...stored.entropy,
    ...stored.public,
    ...manifest.secrets.keys(),
  ]);
  return [...found].filter((n) => !decls.secrets.has(n)).sort(compareNames);
}

export function orphans(decls: Declarations, manifest: Manifest, layout: Layout): SecretReport[] {
  return orphanNames(decls, manifest, layout).map((name) => ({
    name,
    generator: manifest.secrets.get(name)?.generator ?? "unknown",
    hosts: [],
    state: "orphan",
    reason: "no longer declared; `secretgen prune` removes its files",
  }));
}
