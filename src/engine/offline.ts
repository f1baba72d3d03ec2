/**
 * `check --offline`: freshness from manifest.json and the files alone, with no identity.
 * Catches missing and orphaned files, changed declarations, changed recipients, data or entropy
 * files changed outside secretgen, public files changed, and secrets whose dependencies' data
 * changed. It cannot see drift (that needs a replay, i.e. a key).
 */
import { sortedNames } from "../declarations/names.js";
import type { Declarations, SecretDecl } from "../declarations/types.js";
import type { Layout } from "../store/layout.js";
import { hashFileIfExists } from "../store/files.js";
import { sameList, type Manifest } from "../store/manifest.js";
import { publicHasher } from "../store/public-files.js";
import { orphans } from "./orphans.js";
import { checkSelection, withReaders } from "./scope.js";
import type { SecretReport } from "./report.js";

/** SHA-256 of files, or undefined for a missing one; each file is read once per check. */
function fileHasher(): (path: string) => string | undefined {
  const hashes = new Map<string, string | undefined>();
  return (path) => {
    if (!hashes.has(path)) hashes.set(path, hashFileIfExists(path));
    return hashes.get(path);
  };
}

/** What checking one secret looks at; the hashers remember what they have read. */
interface Check {
  decls: Declarations;
  manifest: Manifest;
  layout: Layout;
  fileHash: (path: string) => string | undefined;
  publicHashes: (name: string) => Record<string, string>;
}

function checkOne(decl: SecretDecl, check: Check): SecretReport {
  const { decls, manifest, layout, fileHash, publicHashes } = check;
  const base = { name: decl.name, generator: decl.generator.kind, hosts: decl.hosts };
  const missing = (reason: string): SecretReport => ({ ...base, state: "missing", reason });
  const stale = (reason: string): SecretReport => ({ ...base, state: "stale", reason });
  const entry = manifest.secrets.get(decl.name);
  const data = fileHash(layout.dataFile(decl.name));
  const entropy = fileHash(layout.entropyFile(decl.name));
  if (entry === undefined) {
    if (decl.generator.kind === "manual" && data === undefined)
      return missing("manual secret not set");
    return data === undefined && entropy === undefined
      ? missing("never generated")
      : stale("not in the manifest");
  }
  if (data === undefined)
    return missing(entry.data === undefined ? "manual secret not set" : "data file is missing");
  if (entropy === undefined) return missing("entropy file is missing");
  if (entry.declarationHash !== decl.declarationHash || entry.generator !== decl.generator.kind) {
    return stale("declaration changed");
  }
  if (!sameList(entry.recipients, decl.recipients)) return stale("recipients changed");
  if (entry.data !== data) return stale("data file changed outside secretgen");
  if (entry.entropy !== entropy) return stale("entropy file changed outside secretgen");
  if (entry.admins === undefined || !sameList(entry.admins, decls.admins))
    return stale("admins changed");
  if (manifest.interrupted?.has(decl.name) === true)
    return stale("an interrupted run did not finish it");
  for (const dep of sortedNames(Object.keys(entry.dependencies))) {
    const now = fileHash(layout.dataFile(dep));
    if (!decls.secrets.has(dep))
      return stale(`reads ${JSON.stringify(dep)}, which is no longer declared`);
    if (now !== entry.dependencies[dep]) return stale(`${JSON.stringify(dep)} changed`);
  }
  const pub = publicHashes(decl.name);
  for (const [file, hash] of Object.entries(entry.public)) {
    if (pub[file] === undefined) return missing(`public file ${file} is missing`);
    if (pub[file] !== hash) return stale(`public file ${file} changed`);
  }
  for (const file of Object.keys(pub)) {
    if (entry.public[file] === undefined)
      return stale(`public file ${file} is not in the manifest`);
  }
  return { ...base, state: "unchanged" };
}

/**
 * Check every secret, or (with names) the same scope as `check NAME…`: the names, the secrets
 * that read them, and the secrets they read that would be created or regenerated.
 */
export function checkOffline(
  decls: Declarations,
  manifest: Manifest,
  layout: Layout,
  names?: string[],
): SecretReport[] {
  checkSelection(names ?? [], decls);
  const reports: SecretReport[] = [];
  const check: Check = {
    decls,
    manifest,
    layout,
    fileHash: fileHasher(),
    publicHashes: publicHasher(layout),
  };
  if (names === undefined) {
    for (const name of sortedNames([...decls.secrets.keys()])) {
      const decl = decls.secrets.get(name);
      if (decl) reports.push(checkOne(decl, check));
    }
    reports.push(...orphans(decls, manifest, layout));
    return reports;
  }
  const selected = withReaders(names, decls, manifest);
  // What the selected secrets read (as recorded), followed while it would be made anew.
  const queue = [...selected];
  const seen = new Set(selected);
  const byName = new Map<string, SecretReport>();
  while (queue.length > 0) {
    const name = queue.shift() as string;
    const decl = decls.secrets.get(name);
    if (decl === undefined) continue;
    const report = checkOne(decl, check);
    const made = report.reason === "never generated" || report.reason === "declaration changed";
    if (!selected.has(name) && !made) continue;
    byName.set(name, report);
    for (const dep of Object.keys(manifest.secrets.get(name)?.dependencies ?? {})) {
      if (!seen.has(dep)) {
        seen.add(dep);
        queue.push(dep);
      }
    }
  }
  for (const name of sortedNames([...byName.keys()]))
    reports.push(byName.get(name) as SecretReport);
  return reports;
}
