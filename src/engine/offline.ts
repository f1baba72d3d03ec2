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
  if (!sameList(manifest.admins, decls.admins)) return stale("admins changed");
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

export function checkOffline(
  decls: Declarations,
  manifest: Manifest,
  layout: Layout,
  names?: string[],
): SecretReport[] {
  const selected = names ?? [...decls.secrets.keys()];
  const reports: SecretReport[] = [];
  const check: Check = {
    decls,
    manifest,
    layout,
    fileHash: fileHasher(),
    publicHashes: publicHasher(layout),
  };
  for (const name of sortedNames(selected)) {
    const decl = decls.secrets.get(name);
    if (decl) reports.push(checkOne(decl, check));
  }
  if (names === undefined) reports.push(...orphans(decls, manifest, layout));
  return reports;
}
