/**
 * Writing the plans: entropy → data → public files for every secret, then the manifest, each
 * file atomically. Only what a plan asks for is written; a fresh secret's files are never touched.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { compareNames } from "../declarations/names.js";
import type { Declarations } from "../declarations/types.js";
import { writeFileAtomic } from "../store/atomic.js";
import type { Layout } from "../store/layout.js";
import {
  serializeManifest,
  sha256Hex,
  type Manifest,
  type ManifestEntry,
} from "../store/manifest.js";
import { writeInOrder, type OrderedOp } from "../store/ordered-writes.js";
import { serializeRecord } from "../store/record.js";
import type { Plan } from "./analyze.js";
import { encryptHere, type EncryptFile } from "./encrypt-file.js";
import { publicDirHashes, publicHashes } from "../store/public-files.js";

export interface FileHashes {
  data: Map<string, string>;
  entropy: Map<string, string>;
}

/**
 * Write every plan's files in three phases, each in name order: entropy files, data files,
 * public files (store/ordered-writes.ts: files are encrypted and written ahead, and a phase is
 * durable before the next one begins), so entropy → data → public holds for every secret.
 * Updates `hashes` with the new ciphertext hashes.
 */
export async function applyPlans(
  plans: Iterable<Plan>,
  decls: Declarations,
  layout: Layout,
  hashes: FileHashes,
  encryptFile: EncryptFile = encryptHere,
): Promise<void> {
  const sorted = [...plans].sort((a, b) => compareNames(a.decl.name, b.decl.name));
  const entropy: OrderedOp[] = [];
  const data: OrderedOp[] = [];
  const publicOps: OrderedOp[] = [];
  for (const plan of sorted) {
    const name = plan.decl.name;
    const record = plan.writeRecord ?? plan.reencryptRecord;
    if (record !== undefined) {
      entropy.push({
        write: layout.entropyFile(name),
        data: () => encryptFile(serializeRecord(record), decls.admins, false),
        done: (bytes) => hashes.entropy.set(name, sha256Hex(bytes)),
      });
    }
    if (plan.writeData) {
      const value = plan.value;
      if (value === undefined) throw new Error(`no value to write for ${name}`);
      data.push({
        write: layout.dataFile(name),
        data: () => encryptFile(value, plan.decl.recipients, plan.decl.armor),
        done: (bytes) => hashes.data.set(name, sha256Hex(bytes)),
      });
    }
    if (plan.publicKey !== undefined) {
      const path = layout.publicFile(name);
      if (!existsSync(path) || readFileSync(path, "utf8") !== plan.publicKey) {
        const text = plan.publicKey;
        publicOps.push({ write: path, data: () => text });
      }
    }
    if (plan.publicFiles !== undefined) {
      const dir = layout.publicDir(name);
      const keep = new Set(plan.publicFiles.keys());
      for (const rel of Object.keys(publicDirHashes(dir))) {
        if (!keep.has(rel)) publicOps.push({ remove: join(dir, rel) });
      }
      for (const [rel, content] of [...plan.publicFiles].sort(([a], [b]) => compareNames(a, b))) {
        publicOps.push({ write: join(dir, rel), data: () => content });
      }
    }
  }
  await writeInOrder([entropy, data, publicOps]);
}

/** The manifest after this run: new entries for processed secrets, old ones kept otherwise. */
export function nextManifest(
  old: Manifest,
  plans: ReadonlyMap<string, Plan>,
  decls: Declarations,
  layout: Layout,
  hashes: FileHashes,
  adminsDone: boolean,
): Manifest {
  const secrets = new Map(old.secrets);
  for (const [name, plan] of plans) {
    if (["failed", "drift", "skipped"].includes(plan.state)) continue;
    const data = hashes.data.get(name);
    const entropy = hashes.entropy.get(name);
    if (data === undefined && entropy === undefined) continue;
    const dependencies: Record<string, string> = {};
    for (const dep of [...plan.reads].sort(compareNames)) {
      const h = hashes.data.get(dep);
      if (h !== undefined) dependencies[dep] = h;
    }
    const entry: ManifestEntry = {
      generator: plan.decl.generator.kind,
      declarationHash: plan.decl.declarationHash,
      recipients: plan.decl.recipients,
      dependencies,
      public: publicHashes(layout, name),
    };
    if (data !== undefined) entry.data = data;
    if (entropy !== undefined) entry.entropy = entropy;
    secrets.set(name, entry);
  }
  return { admins: adminsDone ? decls.admins : old.admins, secrets };
}

/** Write the manifest when its text changed. Returns whether it was written. */
export async function writeManifest(layout: Layout, manifest: Manifest): Promise<boolean> {
  const text = serializeManifest(manifest);
  const path = layout.manifestFile;
  if (existsSync(path) && readFileSync(path, "utf8") === text) return false;
  await writeFileAtomic(path, text);
  return true;
}
