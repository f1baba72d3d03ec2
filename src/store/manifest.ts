/**
 * secrets/manifest.json: public, committed, merge-friendly. Per secret: generator kind,
 * declaration hash, recipients, SHA-256 of its data file's and entropy file's ciphertext, the
 * ciphertext hashes of its dependencies' data files at generation time, and hashes of its public
 * files. Nothing derived from a plaintext. Sorted keys, one secret per line, no timestamps.
 */
import { hash } from "node:crypto";
import { existsSync } from "node:fs";
import { join } from "node:path";
import stableStringify from "fast-json-stable-stringify";
import { compareNames, GENERATOR_KINDS, type GeneratorKind } from "../declarations/index.js";
import { runtimeError, type Warning } from "../errors.js";
import { readText } from "./files.js";

export const MANIFEST_VERSION = 1;

export interface ManifestEntry {
  generator: GeneratorKind;
  declarationHash: string;
  /** Recipients of the data file, sorted. */
  recipients: string[];
  /** SHA-256 of data/NAME.age (absent while a manual secret is unset). */
  data?: string;
  /** SHA-256 of entropy/NAME.age. */
  entropy?: string;
  /**
   * Recipients of entropy/NAME.age, sorted. In memory always set with `entropy`; in the file
   * written only where it differs from the top-level `admins` (a run that could not re-encrypt
   * this secret's record for new admins, or a run limited to other secrets).
   */
  admins?: string[];
  /** Dependency name → SHA-256 of its data file when this secret was last made or checked. */
  dependencies: Record<string, string>;
  /** Public file (relative to secrets/public/) → SHA-256 of its content. */
  public: Record<string, string>;
}

export interface Manifest {
  /** The admins of the last run that wrote the manifest, sorted: the default entry `admins`. */
  admins: string[];
  /**
   * Host name → its keys, for the keys that are recipients of some entry, as the last run that
   * wrote the manifest declared them: a later run names a removed host in its warning. Absent in
   * manifests written before it existed (and never a reason to write one).
   */
  hosts?: Record<string, string[]>;
  secrets: Map<string, ManifestEntry>;
  /**
   * Secrets a killed run had begun writing and not finished (from the journal, see journal.ts):
   * their data file may not match their record yet. Never serialised.
   */
  interrupted?: Set<string>;
  /**
   * Secrets a killed run finished writing while manifest.json, written last, does not say so
   * yet (from the journal): a clone, which has no journal, sees their files as changed outside
   * secretgen until `generate` writes manifest.json. Never serialised.
   */
  unrecorded?: Set<string>;
}

export function emptyManifest(): Manifest {
  return { admins: [], secrets: new Map() };
}

/** Two sorted lists (recipients, admins) are the same. */
export function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

export function sha256Hex(data: Uint8Array | string): string {
  return hash("sha256", data, "hex");
}

/** `m` as manifest.json; without `hosts` when `withHosts` is false (or there are none). */
export function serializeManifest(m: Manifest, withHosts = true): string {
  const names = [...m.secrets.keys()].sort(compareNames);
  const lines = names.map((n) => {
    const entry = m.secrets.get(n);
    let out: Partial<ManifestEntry> | undefined = entry;
    if (entry?.admins !== undefined && sameList(entry.admins, m.admins)) {
      out = { ...entry };
      delete out.admins;
    }
    return `    ${JSON.stringify(n)}: ${stableStringify(out)}`;
  });
  return (
    "{\n" +
    `  "version": ${MANIFEST_VERSION},\n` +
    `  "admins": ${JSON.stringify(m.admins)},\n` +
    (withHosts && m.hosts !== undefined && Object.keys(m.hosts).length > 0
      ? `  "hosts": ${stableStringify(m.hosts)},\n`
      : "") +
    (lines.length === 0 ? '  "secrets": {}\n' : `  "secrets": {\n${lines.join(",\n")}\n  }\n`) +
    "}\n"
  );
}

const isStringList = (v: unknown) => Array.isArray(v) && v.every((x) => typeof x === "string");
const isStringMap = (v: unknown) =>
  typeof v === "object" && v !== null && Object.values(v).every((x) => typeof x === "string");

/** The first field of a manifest entry that is not as written by secretgen, if any. */
function entryProblem(e: Record<string, unknown>): string | undefined {
  if (
    typeof e.generator !== "string" ||
    !(GENERATOR_KINDS as readonly string[]).includes(e.generator)
  )
    return "generator";
  if (typeof e.declarationHash !== "string") return "declarationHash";
  if (!isStringList(e.recipients)) return "recipients";
  if (e.data !== undefined && typeof e.data !== "string") return "data";
  if (e.entropy !== undefined && typeof e.entropy !== "string") return "entropy";
  if (e.admins !== undefined && !isStringList(e.admins)) return "admins";
  if (!isStringMap(e.dependencies)) return "dependencies";
  if (!isStringMap(e.public)) return "public";
  return undefined;
}

/**
 * Parse manifest.json. A corrupt manifest is an error (exit 3) naming what is wrong: the
 * top-level field, or the entry and its field.
 */
export function parseManifest(text: string, path: string): Manifest {
  const bad = (what: string) =>
    runtimeError(`${path} is corrupt (${what})`, {
      reason: "store",
      // Without a manifest nothing vouches for the files' recipients: every file is encrypted
      // again (same values), so git is the better way back.
      hint: "restore it from git; deleted, `generate` rebuilds it and encrypts every file again (same values)",
    });
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw bad("not JSON");
  }
  if (typeof doc !== "object" || doc === null || Array.isArray(doc)) throw bad("not an object");
  const d = doc as Record<string, unknown>;
  if (typeof d.version !== "number") throw bad("no version");
  if (d.version > MANIFEST_VERSION) {
    throw runtimeError(`${path} was written by a newer secretgen (version ${d.version})`, {
      reason: "store",
      hint: "upgrade secretgen",
    });
  }
  if (!isStringList(d.admins)) throw bad("admins");
  if (typeof d.secrets !== "object" || d.secrets === null) throw bad("secrets");
  const hosts = d.hosts;
  if (
    hosts !== undefined &&
    (typeof hosts !== "object" ||
      hosts === null ||
      Array.isArray(hosts) ||
      !Object.values(hosts).every(isStringList))
  )
    throw bad("hosts");
  const secrets = new Map<string, ManifestEntry>();
  for (const [name, raw] of Object.entries(d.secrets as Record<string, unknown>)) {
    const at = `entry ${JSON.stringify(name)}`;
    if (typeof raw !== "object" || raw === null) throw bad(at);
    const field = entryProblem(raw as Record<string, unknown>);
    if (field !== undefined) throw bad(`${at}: ${field}`);
    const entry = raw as ManifestEntry;
    if (entry.entropy !== undefined) entry.admins ??= d.admins;
    else delete entry.admins;
    secrets.set(name, entry);
  }
  const m: Manifest = { admins: d.admins, secrets };
  if (hosts !== undefined) m.hosts = hosts as Record<string, string[]>;
  return m;
}

/** Read manifest.json: missing → empty (with a warning); corrupt → error (exit 3). */
export function loadManifest(
  layout: { manifestFile: string; secretsDir: string },
  warnings: Warning[],
): Manifest {
  if (!existsSync(layout.manifestFile)) {
    if (existsSync(join(layout.secretsDir, "data")))
      warnings.push({ message: "secrets/manifest.json is missing; it is rebuilt from the files" });
    return emptyManifest();
  }
  return parseManifest(readText(layout.manifestFile), "secrets/manifest.json");
}
