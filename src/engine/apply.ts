/**
 * Writing the plans: entropy → data → public files per secret, then the manifest, each file
 * atomically. Only what a plan asks for is written; a fresh secret's files are never touched.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { encrypt, parseRecipient, type Recipient } from "../age/index.js";
import { compareNames } from "../declarations/names.js";
import type { Declarations } from "../declarations/types.js";
import { writeFileAtomic, removeFileAtomic } from "../store/atomic.js";
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

async function encryptForPlugins(plans: readonly Plan[], admins: readonly Recipient[]) {
  const plugin = (r: Recipient) => r.type === "plugin";
  if (!admins.some(plugin) && !plans.some((p) => recipients(p.decl.recipients).some(plugin)))
    return new Map<string, Uint8Array>();
  const sessions = await import("./plugin-sessions.js");
  return sessions.encryptForPlugins(plans, admins, recipients);
}

/** Write every plan's files. Updates `hashes` with the new ciphertext hashes. */
export async function applyPlans(
  plans: Iterable<Plan>,
  decls: Declarations,
  layout: Layout,
  hashes: FileHashes,
): Promise<void> {
  const admins = recipients(decls.admins);
  const sorted = [...plans].sort((a, b) => compareNames(a.decl.name, b.decl.name));
  // Files to plugin recipients: encrypted first, in one batch (one session per plugin).
  const batched = await encryptForPlugins(sorted, admins);
  for (const plan of sorted) {
    const name = plan.decl.name;
    const record = plan.writeRecord ?? plan.reencryptRecord;
    if (record !== undefined) {
      const bytes =
        batched.get(`entropy:${name}`) ?? (await encrypt(serializeRecord(record), admins));
      await writeFileAtomic(layout.entropyFile(name), bytes);
      hashes.entropy.set(name, sha256Hex(bytes));
    }
    if (plan.writeData) {
      if (plan.value === undefined) throw new Error(`no value to write for ${name}`);
      const bytes =
        batched.get(`data:${name}`) ??
        (await encrypt(plan.value, recipients(plan.decl.recipients), { armor: plan.decl.armor }));
      await writeFileAtomic(layout.dataFile(name), bytes);
      hashes.data.set(name, sha256Hex(bytes));
    }
    if (plan.publicKey !== undefined) {
      const path = layout.publicFile(name);
      if (!existsSync(path) || readFileSync(path, "utf8") !== plan.publicKey) {
        await writeFileAtomic(path, plan.publicKey);
      }
    }
    if (plan.publicFiles !== undefined) {
      const dir = layout.publicDir(name);
      const keep = new Set(plan.publicFiles.keys());
      for (const rel of Object.keys(publicDirHashes(dir))) {
        if (!keep.has(rel)) await removeFileAtomic(join(dir, rel));
      }
      for (const [rel, content] of [...plan.publicFiles].sort(([a], [b]) => compareNames(a, b))) {
        await writeFileAtomic(join(dir, rel), content);
      }
    }
  }
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
