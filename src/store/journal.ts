/**
 * The write-ahead journal, secrets/.secretgen.journal (gitignored, like the lock beside it).
 *
 * Before a run renames its first file into place it writes, atomically, the manifest it is about
 * to produce: that manifest names the SHA-256 of every ciphertext and public file the run will
 * write, and the recipients each was encrypted to. The journal is removed after manifest.json.
 * A journal found on disk is therefore the intent of a run that did not finish. For each secret
 * it names, a file whose hash on disk is the intended one was written by that run, to the
 * intended recipients: `recoverManifest` takes those facts into the manifest, so the repair run
 * trusts what the killed run finished and rewrites only what it did not. Secrets the killed run
 * began and did not finish are marked `interrupted`: their data file may still hold the old
 * value, which is then completed from the record, never taken as an edit made outside.
 */
import { join } from "node:path";
import stableStringify from "fast-json-stable-stringify";
import { runtimeError, type Warning } from "../errors.js";
import { writeFileAtomic, removeFileAtomic } from "./atomic.js";
import { hashFileIfExists, readText } from "./files.js";
import type { Layout } from "./layout.js";
import {
  loadManifest,
  parseManifest,
  serializeManifest,
  type Manifest,
  type ManifestEntry,
} from "./manifest.js";
import { publicHashes } from "./public-files.js";

export const JOURNAL_FILE_NAME = ".secretgen.journal";
const JOURNAL_FORMAT = "secretgen-journal";
const JOURNAL_VERSION = 1;

export function journalPath(layout: { secretsDir: string }): string {
  return join(layout.secretsDir, JOURNAL_FILE_NAME);
}

/** Record the manifest a run is about to produce, before any of its files is renamed. */
export async function writeJournal(layout: Layout, intended: Manifest): Promise<void> {
  const doc = {
    format: JOURNAL_FORMAT,
    version: JOURNAL_VERSION,
    manifest: serializeManifest(intended),
  };
  await writeFileAtomic(journalPath(layout), JSON.stringify(doc) + "\n");
}

/** Remove the journal once manifest.json describes every file (a missing journal is fine). */
export async function clearJournal(layout: Layout): Promise<void> {
  await removeFileAtomic(journalPath(layout));
}

/** The intended manifest of an unfinished run, or undefined when there is no journal. */
export function readJournal(layout: Layout): Manifest | undefined {
  const path = journalPath(layout);
  let text: string;
  try {
    text = readText(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw runtimeError(`cannot read secrets/${JOURNAL_FILE_NAME}`, {
      reason: "store",
      cause: err,
    });
  }
  const bad = () =>
    runtimeError(`secrets/${JOURNAL_FILE_NAME} is corrupt`, {
      reason: "store",
      hint: "it is written by secretgen only; if no run is in progress, delete it and run `generate`",
    });
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw bad();
  }
  if (typeof doc !== "object" || doc === null) throw bad();
  const d = doc as Record<string, unknown>;
  if (d.format !== JOURNAL_FORMAT || typeof d.manifest !== "string") throw bad();
  if (typeof d.version !== "number" || d.version > JOURNAL_VERSION) {
    throw runtimeError(`secrets/${JOURNAL_FILE_NAME} was written by a newer secretgen`, {
      reason: "store",
      hint: "upgrade secretgen",
    });
  }
  return parseManifest(d.manifest, `secrets/${JOURNAL_FILE_NAME}`);
}

/**
 * The manifest as the files on disk are, given what a killed run intended: per secret, the
 * intended facts about each file the killed run finished, the old ones about the rest.
 */
export function recoverManifest(onDisk: Manifest, intended: Manifest, layout: Layout): Manifest {
  const secrets = new Map(onDisk.secrets);
  const interrupted = new Set(onDisk.interrupted);
  const unrecorded = new Set<string>();
  for (const [name, want] of intended.secrets) {
    const old = onDisk.secrets.get(name);
    if (old !== undefined && stableStringify(old) === stableStringify(want)) continue;
    const entropyDone = hashFileIfExists(layout.entropyFile(name)) === want.entropy;
    const dataDone = hashFileIfExists(layout.dataFile(name)) === want.data;
    const publicDone = stableStringify(publicHashes(layout, name)) === stableStringify(want.public);
    if (entropyDone && dataDone && publicDone) {
      secrets.set(name, want);
      unrecorded.add(name);
      continue;
    }
    const entropyWritten = entropyDone && want.entropy !== old?.entropy;
    const dataWritten = dataDone && want.data !== old?.data;
    if (!entropyWritten && !dataWritten) continue; // the killed run wrote nothing of it
    const merged: ManifestEntry =
      old === undefined ? { ...want, recipients: [], public: {} } : { ...old };
    if (old === undefined) delete merged.data;
    if (entropyWritten) {
      // The record describes the new value: its declaration, generator and inputs.
      merged.generator = want.generator;
      merged.declarationHash = want.declarationHash;
      merged.dependencies = want.dependencies;
      if (want.entropy !== undefined) merged.entropy = want.entropy;
      if (want.admins !== undefined) merged.admins = want.admins;
    }
    if (dataWritten) {
      if (want.data !== undefined) merged.data = want.data;
      merged.recipients = want.recipients;
    }
    secrets.set(name, merged);
    interrupted.add(name);
  }
  const out: Manifest = { admins: intended.admins, secrets, interrupted, unrecorded };
  // Both runs' hosts: a warning about a removed key can still name its host.
  if (onDisk.hosts !== undefined || intended.hosts !== undefined)
    out.hosts = { ...onDisk.hosts, ...intended.hosts };
  return out;
}

/**
 * manifest.json as the files on disk are: the committed manifest, completed from the journal of
 * a run that did not finish (see recoverManifest). Missing → empty (with a warning); corrupt →
 * error (exit 3).
 */
export function loadManifestWithJournal(layout: Layout, warnings: Warning[]): Manifest {
  const manifest = loadManifest(layout, warnings);
  const intended = readJournal(layout);
  if (intended === undefined) return manifest;
  const recovered = recoverManifest(manifest, intended, layout);
  const n = recovered.interrupted?.size ?? 0;
  if (n > 0)
    warnings.push({
      message: `an interrupted run left ${n} secret(s) unfinished; \`generate\` completes them`,
    });
  return recovered;
}
