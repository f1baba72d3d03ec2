/**
 * Facts about one secret's stored files that decisions are made from: whether the manifest
 * vouches for them, whether a killed run left them half-written, what changed since the record.
 */
import type { Declarations, SecretDecl } from "../../declarations/index.js";
import {
  sameList,
  sha256Hex as digest,
  type Manifest,
  type EntropyRecord,
} from "../../store/index.js";
import type { RenderOutcome } from "../exec/index.js";
import type { StoredSecret } from "./types.js";

/** What the facts are read from. */
export interface Known {
  decls: Declarations;
  manifest: Manifest;
}

/** Whether the manifest entry describes the entropy file on disk (no interrupted write). */
export function trusted(known: Known, decl: SecretDecl, stored: StoredSecret): boolean {
  const entry = known.manifest.secrets.get(decl.name);
  return entry !== undefined && entry.entropy === stored.entropyHash;
}

/**
 * Whether the entropy file must be re-encrypted: the manifest does not say it is encrypted to
 * today's admins (each entry records its entropy file's own recipients).
 */
export function adminsChanged(known: Known, decl: SecretDecl, stored: StoredSecret): boolean {
  const admins = known.manifest.secrets.get(decl.name)?.admins;
  return (
    admins === undefined || !sameList(admins, known.decls.admins) || !trusted(known, decl, stored)
  );
}

/**
 * The entropy file on disk is not the one manifest.json names, and no killed run explains it
 * (a write a kill interrupted is in the journal): something outside secretgen replaced it
 * (another secret's file, an old one a merge or a checkout brought back). Its record must not
 * be replayed: the value would silently become another one.
 */
export function entropyReplaced(known: Known, decl: SecretDecl, stored: StoredSecret): boolean {
  const named = known.manifest.secrets.get(decl.name)?.entropy;
  return (
    named !== undefined &&
    stored.entropyHash !== undefined &&
    named !== stored.entropyHash &&
    !interrupted(known, decl.name)
  );
}

/** A killed run began writing this secret's files and did not finish (see journal.ts). */
export function interrupted(known: Known, name: string): boolean {
  return known.manifest.interrupted?.has(name) === true;
}

/** The declaration differs from the one the value was made for. */
export function declarationChanged(
  known: Known,
  decl: SecretDecl,
  stored: StoredSecret,
  record: EntropyRecord,
): boolean {
  const entry = known.manifest.secrets.get(decl.name);
  const base =
    entry && trusted(known, decl, stored) ? entry.declarationHash : record.declarationHash;
  return base !== decl.declarationHash;
}

export function readDigests(out: RenderOutcome): Record<string, string> {
  return Object.fromEntries([...out.reads].map(([n, v]) => [n, digest(v)]));
}

/** The first dependency whose value digest differs (or was added/removed), if any. */
export function changedDependency(
  before: Record<string, string>,
  now: Record<string, string>,
): string | undefined {
  const names = [...new Set([...Object.keys(before), ...Object.keys(now)])].sort();
  return names.find((n) => before[n] !== now[n]);
}
