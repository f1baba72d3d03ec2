/**
 * Which data files a run may decrypt, decided before anything is decrypted, so that a plugin
 * identity's one session per run can include them (plugin-sessions.ts). Pure.
 */
import type { Declarations } from "../declarations/index.js";
import { sameList, type Manifest } from "../store/index.js";
import type { StoredSecret } from "./plan/index.js";

/**
 * The data files a run may decrypt, known before anything is decrypted: files whose hash the
 * manifest does not vouch for (checked by decrypting); the files of secrets something reads or
 * whose recipients changed, of every kind (a manual or script secret's value, and an adopted
 * secret's, is only in its data file, and whether a secret was adopted is known only from its
 * record, not decrypted yet); and the files of manual and script secrets when a secret never
 * generated may read them. (A secret never generated that reads an adopted secret starts a
 * second session.)
 */
export function likelyDataReads(
  decls: Declarations,
  manifest: Manifest,
  stored: ReadonlyMap<string, StoredSecret>,
): string[] {
  const read = new Set<string>();
  for (const entry of manifest.secrets.values())
    for (const dep of Object.keys(entry.dependencies)) read.add(dep);
  let fresh = false;
  for (const decl of decls.secrets.values()) {
    if (decl.generator.kind === "script")
      for (const dep of decl.generator.dependencies) read.add(dep);
    if (!manifest.secrets.has(decl.name)) fresh = true;
  }
  const out: string[] = [];
  for (const [name, s] of stored) {
    const decl = decls.secrets.get(name);
    const entry = manifest.secrets.get(name);
    if (s.dataHash === undefined || decl === undefined) continue;
    const kind = decl.generator.kind;
    const valueless = kind === "manual" || kind === "script";
    if (entry === undefined || entry.data !== s.dataHash || entry.entropy !== s.entropyHash) {
      out.push(name);
    } else if (
      read.has(name) ||
      !sameList(entry.recipients, decl.recipients) ||
      (valueless && fresh)
    ) {
      out.push(name);
    }
  }
  return out;
}
