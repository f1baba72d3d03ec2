/**
 * The decision table without a key (`check --offline`, `status` without an identity): freshness
 * from manifest.json and the files' hashes alone, nothing decrypted. Catches missing and
 * orphaned files, changed declarations, changed recipients, data or entropy files changed
 * outside secretgen, public files changed, secrets whose dependencies' data changed, and the
 * readers of secrets that will change. It cannot see drift (that needs a replay, i.e. a key).
 * The reasons are the ones the run with a key gives (reasons.ts).
 */
import { sortedNames, type Declarations, type SecretDecl } from "../../declarations/index.js";
import { sameList, type Manifest } from "../../store/index.js";
import { orphans, type StoredListing } from "./orphans.js";
import {
  REASONS,
  depChanged,
  publicChanged,
  publicMissing,
  publicUnrecorded,
  readsChanging,
  readsUndeclared,
} from "./reasons.js";
import { checkSelection, withReaders } from "./scope.js";
import type { SecretReport } from "./types.js";

/** What the offline table reads: hashes of the files (each read once), the names on disk. */
export interface OfflineFiles extends StoredListing {
  /** SHA-256 (hex) of data/NAME.age, undefined when missing. */
  dataHash(name: string): string | undefined;
  entropyHash(name: string): string | undefined;
  /** Hashes of the secret's public files, by path relative to secrets/public/. */
  publicHashes(name: string): Record<string, string>;
}

export interface OfflineInput {
  decls: Declarations;
  manifest: Manifest;
  files: OfflineFiles;
  /** The same scope as `check NAME…`; every secret (and the orphans) when undefined. */
  names?: string[];
}

/** The secret gets a new value in the next `generate` (its readers will follow). */
const makesNew = (r: SecretReport) =>
  r.reason === REASONS.new || r.reason === REASONS.declarationChanged;

function decideOne(decl: SecretDecl, input: OfflineInput): SecretReport {
  const { decls, manifest, files } = input;
  const base = { name: decl.name, generator: decl.generator.kind, hosts: decl.hosts };
  const missing = (reason: string): SecretReport => ({ ...base, state: "missing", reason });
  const stale = (reason: string): SecretReport => ({ ...base, state: "stale", reason });
  const entry = manifest.secrets.get(decl.name);
  const data = files.dataHash(decl.name);
  const entropy = files.entropyHash(decl.name);
  if (entry === undefined) {
    if (decl.generator.kind === "manual" && data === undefined)
      return missing(REASONS.manualNotSet);
    return data === undefined && entropy === undefined
      ? missing(REASONS.new)
      : stale(REASONS.notInManifest);
  }
  if (data === undefined) {
    // As with a key: a script runs again, a manual secret waits to be set again.
    if (entry.data === undefined) return missing(REASONS.manualNotSet);
    if (decl.generator.kind === "script") return stale(REASONS.scriptDataMissing);
    if (decl.generator.kind === "manual") return missing(REASONS.manualDataMissing);
    return missing(REASONS.dataMissing);
  }
  if (entropy === undefined) return missing(REASONS.entropyMissing);
  if (entry.declarationHash !== decl.declarationHash || entry.generator !== decl.generator.kind) {
    return stale(REASONS.declarationChanged);
  }
  if (!sameList(entry.recipients, decl.recipients)) return stale(REASONS.recipientsChanged);
  if (entry.data !== data) return stale(REASONS.dataChangedOutside);
  if (entry.entropy !== entropy) return stale(REASONS.entropyChangedOutside);
  if (entry.admins === undefined || !sameList(entry.admins, decls.admins))
    return stale(REASONS.adminsChanged);
  if (manifest.interrupted?.has(decl.name) === true) return stale(REASONS.interrupted);
  for (const dep of sortedNames(Object.keys(entry.dependencies))) {
    const now = files.dataHash(dep);
    if (!decls.secrets.has(dep)) return stale(readsUndeclared(dep));
    if (now !== entry.dependencies[dep]) return stale(depChanged(dep));
  }
  const pub = files.publicHashes(decl.name);
  for (const [file, hash] of Object.entries(entry.public)) {
    if (pub[file] === undefined) return missing(publicMissing(file));
    if (pub[file] !== hash) return stale(publicChanged(file));
  }
  for (const file of Object.keys(pub)) {
    if (entry.public[file] === undefined) return stale(publicUnrecorded(file));
  }
  return { ...base, state: "unchanged" };
}

/**
 * The unchanged readers of secrets that get a new value, marked stale, transitively: the
 * manifest knows who read whom (each entry's `dependencies`), as `check` does.
 */
function markReaders(reports: SecretReport[], manifest: Manifest): Set<string> {
  const changing = new Set(
    reports
      .filter((r) => r.state === "stale" && r.reason === REASONS.declarationChanged)
      .map((r) => r.name),
  );
  for (let grew = changing.size > 0; grew;) {
    grew = false;
    for (const r of reports) {
      if (r.state !== "unchanged") continue;
      const deps = Object.keys(manifest.secrets.get(r.name)?.dependencies ?? {}).sort();
      const dep = deps.find((d) => changing.has(d));
      if (dep === undefined) continue;
      r.state = "stale";
      r.reason = readsChanging(dep);
      changing.add(r.name);
      grew = true;
    }
  }
  return changing;
}

/**
 * Every secret's report, sorted, then the orphans; or (with names) the same scope as
 * `check NAME…`: the names, the secrets that read them, the secrets they read that would be
 * created or regenerated (through secrets that would change because of them), and the other
 * readers of those. Every secret is decided either way: a secret changes through what it reads.
 */
export function decideOffline(input: OfflineInput): SecretReport[] {
  const { decls, manifest, names } = input;
  checkSelection(names ?? [], decls);
  const reports: SecretReport[] = [];
  for (const name of sortedNames([...decls.secrets.keys()])) {
    const decl = decls.secrets.get(name);
    if (decl) reports.push(decideOne(decl, input));
  }
  const changing = markReaders(reports, manifest);
  if (names === undefined) {
    reports.push(...orphans(decls, manifest, input.files));
    return reports;
  }
  const byName = new Map(reports.map((r) => [r.name, r]));
  const changes = (name: string) => {
    const r = byName.get(name);
    return r !== undefined && (makesNew(r) || changing.has(name));
  };
  let scope = withReaders(names, decls, manifest);
  for (;;) {
    const pulled = new Set<string>();
    const queue = [...scope];
    while (queue.length > 0) {
      const name = queue.pop() as string;
      for (const dep of Object.keys(manifest.secrets.get(name)?.dependencies ?? {})) {
        if (scope.has(dep) || pulled.has(dep) || !changes(dep)) continue;
        pulled.add(dep);
        queue.push(dep);
      }
    }
    if (pulled.size === 0) break;
    scope = new Set([...scope, ...withReaders(pulled, decls, manifest)]);
  }
  return reports.filter((r) => scope.has(r.name));
}
