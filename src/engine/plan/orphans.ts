/**
 * Orphans: files or manifest entries of secrets that are no longer declared. `generate` and
 * `check` name them; only `prune` deletes them.
 */
import { compareNames, type Declarations } from "../../declarations/index.js";
import type { StoredNames, Manifest } from "../../store/index.js";
import { REASONS } from "./reasons.js";
import type { SecretReport } from "./types.js";

/** The names that have files on disk (a Layout is one). */
export interface StoredListing {
  listStored(): StoredNames;
}

/** Names of undeclared secrets that still have files or a manifest entry. */
export function orphanNames(
  decls: Declarations,
  manifest: Manifest,
  files: StoredListing,
): string[] {
  const stored = files.listStored();
  const found = new Set<string>([
    ...stored.data,
    ...stored.entropy,
    ...stored.public,
    ...manifest.secrets.keys(),
  ]);
  return [...found].filter((n) => !decls.secrets.has(n)).sort(compareNames);
}

export function orphans(
  decls: Declarations,
  manifest: Manifest,
  files: StoredListing,
): SecretReport[] {
  return orphanNames(decls, manifest, files).map((name) => ({
    name,
    generator: manifest.secrets.get(name)?.generator ?? "unknown",
    hosts: [],
    state: "orphan",
    reason: REASONS.orphan,
  }));
}
