/**
 * Writing the plans. Every file a run writes is encrypted first; then the manifest those files
 * lead to is written to the journal (store/journal.ts), the files are renamed into place in a
 * fixed order (per secret, in name order: entropy → data → public files), manifest.json is
 * written, and the journal removed. Only what a plan asks for is written; a fresh secret's files
 * are never touched.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { encrypt, parseRecipient, type Recipient } from "../age/index.js";
import { compareNames } from "../declarations/names.js";
import type { Declarations } from "../declarations/types.js";
import { writeFileAtomic, removeFileAtomic } from "../store/atomic.js";
import { ensureGitFiles } from "../store/gitfiles.js";
import { clearJournal, writeJournal } from "../store/journal.js";
import type { Layout } from "../store/layout.js";
import {
  serializeManifest,
  sha256Hex,
  type Manifest,
  type ManifestEntry,
} from "../store/manifest.js";
import { serializeRecord } from "../store/record.js";
import type { Plan } from "./analyze.js";
import { publicDirHashes, publicHashes } from "../store/public-files.js";

export interface FileHashes {
  data: Map<string, string>;
  entropy: Map<string, string>;
}

const recipientCache = new Map<string, Recipient>();
function recipients(list: readonly string[]): Recipient[] {
  return list.map((text) => {
    let r = recipientCache.get(text);
    if (r === undefined) {
      r = parseRecipient(text);
      recipientCache.set(text, r);
    }
    return r;
  });
}

/** One change to the tree: write `data` to `path`, or remove `path` (data undefined). */
interface FileOp {
  path: string;
  data?: Uint8Array | string;
}

/** What writing the plans does: the file operations in order, and each secret's public files. */
interface Writes {
  ops: FileOp[];
  /** Public file hashes after the writes, for the secrets whose public files change. */
  public: Map<string, Record<string, string>>;
  /** Secrets whose entropy file is written (encrypted to the current admins). */
  entropyWritten: Set<string>;
}

/** Encrypt everything the plans write. Updates `hashes` with the new ciphertext hashes. */
async function prepare(
  plans: Iterable<Plan>,
  decls: Declarations,
  layout: Layout,
  hashes: FileHashes,
): Promise<Writes> {
  const admins = recipients(decls.admins);
  const out: Writes = { ops: [], public: new Map(), entropyWritten: new Set() };
  const sorted = [...plans].sort((a, b) => compareNames(a.decl.name, b.decl.name));
  for (const plan of sorted) {
    const name = plan.decl.name;
    const record = plan.writeRecord ?? plan.reencryptRecord;
    if (record !== undefined) {
      const bytes = await encrypt(serializeRecord(record), admins);
      out.ops.push({ path: layout.entropyFile(name), data: bytes });
      hashes.entropy.set(name, sha256Hex(bytes));
      out.entropyWritten.add(name);
    }
    if (plan.writeData) {
      if (plan.value === undefined) throw new Error(`no value to write for ${name}`);
      const bytes = await encrypt(plan.value, recipients(plan.decl.recipients), {
        armor: plan.decl.armor,
      });
      out.ops.push({ path: layout.dataFile(name), data: bytes });
      hashes.data.set(name, sha256Hex(bytes));
    }
    if (plan.publicKey === undefined && plan.publicFiles === undefined) continue;
    let pub = publicHashes(layout, name);
    if (plan.publicKey !== undefined) {
      const path = layout.publicFile(name);
      if (!existsSync(path) || readFileSync(path, "utf8") !== plan.publicKey) {
        out.ops.push({ path, data: plan.publicKey });
      }
      pub[`${name}.pub`] = sha256Hex(plan.publicKey);
    }
    if (plan.publicFiles !== undefined) {
      const dir = layout.publicDir(name);
      const keep = new Set(plan.publicFiles.keys());
      for (const rel of Object.keys(publicDirHashes(dir))) {
        if (!keep.has(rel)) out.ops.push({ path: join(dir, rel) });
      }
      pub = Object.fromEntries(Object.entries(pub).filter(([k]) => !k.startsWith(`${name}.d/`)));
      for (const [rel, content] of [...plan.publicFiles].sort(([a], [b]) => compareNames(a, b))) {
        out.ops.push({ path: join(dir, rel), data: content });
        pub[`${name}.d/${rel}`] = sha256Hex(content);
      }
    }
    out.public.set(name, pub);
  }
  return out;
}

/**
 * Write every plan's files and the manifest they lead to, through the journal. `hashes` holds
 * the ciphertext hashes of the files on disk and is updated with the new ones.
 */
export async function commitPlans(
  plans: ReadonlyMap<string, Plan>,
  decls: Declarations,
  layout: Layout,
  old: Manifest,
  hashes: FileHashes,
): Promise<void> {
  const writes = await prepare(plans.values(), decls, layout, hashes);
  const next = nextManifest(old, plans, decls, layout, hashes, writes);
  if (writes.ops.length > 0) {
    await ensureGitFiles(layout.secretsDir);
    await writeJournal(layout, next);
    for (const op of writes.ops) {
      if (op.data === undefined) await removeFileAtomic(op.path);
      else await writeFileAtomic(op.path, op.data);
    }
  }
  await writeManifest(layout, next);
  await clearJournal(layout);
}

/**
 * The manifest after this run: new entries for the secrets the plans processed, old ones kept
 * otherwise (a failed, skipped or drifting secret keeps what describes its files on disk).
 */
function nextManifest(
  old: Manifest,
  plans: ReadonlyMap<string, Plan>,
  decls: Declarations,
  layout: Layout,
  hashes: FileHashes,
  writes: Writes,
): Manifest {
  const secrets = new Map(old.secrets);
  for (const [name, plan] of plans) {
    if (["failed", "drift", "skipped"].includes(plan.state)) continue;
    const data = hashes.data.get(name);
    const entropy = hashes.entropy.get(name);
    if (data === undefined && entropy === undefined) continue;
    const before = old.secrets.get(name);
    const dependencies: Record<string, string> = {};
    for (const dep of [...plan.reads].sort(compareNames)) {
      const h = hashes.data.get(dep);
      if (h !== undefined) dependencies[dep] = h;
    }
    const entry: ManifestEntry = {
      generator: plan.decl.generator.kind,
      declarationHash: plan.decl.declarationHash,
      recipients: plan.writeData || before === undefined ? plan.decl.recipients : before.recipients,
      dependencies,
      public: writes.public.get(name) ?? publicHashes(layout, name),
    };
    if (data !== undefined) entry.data = data;
    if (entropy !== undefined) {
      entry.entropy = entropy;
      const admins = writes.entropyWritten.has(name) ? decls.admins : before?.admins;
      if (admins !== undefined) entry.admins = admins;
    }
    secrets.set(name, entry);
  }
  return { admins: decls.admins, secrets };
}

/** Write the manifest when its text changed. Returns whether it was written. */
export async function writeManifest(layout: Layout, manifest: Manifest): Promise<boolean> {
  const text = serializeManifest(manifest);
  const path = layout.manifestFile;
  if (existsSync(path) && readFileSync(path, "utf8") === text) return false;
  await writeFileAtomic(path, text);
  return true;
}
