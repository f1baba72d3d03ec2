/**
 * Writing the plans. Every file a run writes is encrypted and written as a temporary file first
 * (store/ordered-writes.ts stages them: encryption on the executor, a pool's workers too,
 * overlaps the disk); then the manifest those files lead to is written to the journal
 * (store/journal.ts); then the files are renamed into place in three phases, each in name order
 * and durable before the next begins: entropy files, data files, public files, so
 * entropy → data → public holds for every secret; then manifest.json is written and the
 * journal removed. Only what a plan asks for is written; a fresh secret's files are never
 * touched.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { compareNames, type Declarations } from "../../declarations/index.js";
import type { Recipient } from "../../age/index.js";
import {
  writeFileAtomic,
  ensureGitFiles,
  clearJournal,
  writeJournal,
  type Layout,
  serializeManifest,
  sha256Hex,
  type Manifest,
  type ManifestEntry,
  stageWrites,
  type OrderedOp,
  serializeRecord,
  publicDirHashes,
  publicHashes,
} from "../../store/index.js";
import type { Plan } from "../plan/index.js";
import { encryptHere, parsedRecipients, type EncryptFile } from "../exec/index.js";

export interface FileHashes {
  data: Map<string, string>;
  entropy: Map<string, string>;
}

/** What writing the plans does: the file operations by phase, and each secret's public files. */
interface Writes {
  phases: [entropy: OrderedOp[], data: OrderedOp[], publicFiles: OrderedOp[]];
  /** Public file hashes after the writes, for the secrets whose public files change. */
  public: Map<string, Record<string, string>>;
  /** Secrets whose entropy file is written (encrypted to the current admins). */
  entropyWritten: Set<string>;
}

/**
 * The files the plans write to a plugin recipient, encrypted on this thread in one batch (one
 * session per plugin), by `entropy:NAME` and `data:NAME`: a worker never runs a plugin.
 */
async function encryptForPlugins(plans: readonly Plan[], decls: Declarations) {
  const admins = parsedRecipients(decls.admins);
  const plugin = (r: Recipient) => r.type === "plugin";
  if (
    !admins.some(plugin) &&
    !plans.some((p) => p.writeData && parsedRecipients(p.decl.recipients).some(plugin))
  )
    return new Map<string, Uint8Array>();
  const sessions = await import("../exec/plugin-sessions.js");
  return sessions.encryptForPlugins(plans, admins, parsedRecipients);
}

/**
 * The file operations of the plans; a file is encrypted when staging asks for its bytes, which
 * puts its ciphertext hash in `hashes`.
 */
async function prepare(
  plans: Iterable<Plan>,
  decls: Declarations,
  layout: Layout,
  hashes: FileHashes,
  encryptFile: EncryptFile,
): Promise<Writes> {
  const out: Writes = { phases: [[], [], []], public: new Map(), entropyWritten: new Set() };
  const [entropy, data, publicOps] = out.phases;
  /**
   * A file encrypted when staging asks for its bytes: a few files ahead of the disk, so that
   * writing the temporary files overlaps encryption (on this thread or a pool's workers).
   */
  const encrypted = (
    phase: OrderedOp[],
    path: string,
    bytes: () => Promise<Uint8Array>,
    hashesOf: Map<string, string>,
    name: string,
  ) => {
    phase.push({
      write: path,
      data: async () => {
        const b = await bytes();
        hashesOf.set(name, sha256Hex(b));
        return b;
      },
    });
  };
  // Dependencies before the secrets that read them (then by name): a run killed mid-phase has
  // written a reader's file only when what it read is on disk too, so the repair keeps both.
  const depth = new Map<string, number>();
  const depthOf = (plan: Plan, seen: Set<string> = new Set()): number => {
    const known = depth.get(plan.decl.name);
    if (known !== undefined) return known;
    seen.add(plan.decl.name);
    let d = 0;
    for (const dep of plan.reads) {
      const p = byName.get(dep);
      if (p !== undefined && !seen.has(dep)) d = Math.max(d, depthOf(p, seen) + 1);
    }
    depth.set(plan.decl.name, d);
    return d;
  };
  const list = [...plans];
  const byName = new Map(list.map((p) => [p.decl.name, p]));
  const sorted = list.sort(
    (a, b) => depthOf(a) - depthOf(b) || compareNames(a.decl.name, b.decl.name),
  );
  const batched = await encryptForPlugins(sorted, decls);
  const given = (b: Uint8Array | undefined) =>
    b === undefined ? undefined : () => Promise.resolve(b);
  for (const plan of sorted) {
    const name = plan.decl.name;
    const record = plan.writeRecord ?? plan.reencryptRecord;
    if (record !== undefined) {
      const bytes =
        given(batched.get(`entropy:${name}`)) ??
        (() => encryptFile(serializeRecord(record), decls.admins, false));
      encrypted(entropy, layout.entropyFile(name), bytes, hashes.entropy, name);
      out.entropyWritten.add(name);
    }
    if (plan.writeData) {
      if (plan.value === undefined) throw new Error(`no value to write for ${name}`);
      const value = plan.value;
      const bytes =
        given(batched.get(`data:${name}`)) ??
        (() => encryptFile(value, plan.decl.recipients, plan.decl.armor));
      encrypted(data, layout.dataFile(name), bytes, hashes.data, name);
    }
    if (plan.publicKey === undefined && plan.publicFiles === undefined) continue;
    let pub = publicHashes(layout, name);
    if (plan.publicKey !== undefined) {
      const path = layout.publicFile(name);
      const text = plan.publicKey;
      if (!existsSync(path) || readFileSync(path, "utf8") !== text) {
        publicOps.push({ write: path, data: () => text });
      }
      pub[`${name}.pub`] = sha256Hex(text);
    }
    if (plan.publicFiles !== undefined) {
      const dir = layout.publicDir(name);
      const keep = new Set(plan.publicFiles.keys());
      for (const rel of Object.keys(publicDirHashes(dir))) {
        if (!keep.has(rel)) publicOps.push({ remove: join(dir, rel) });
      }
      pub = Object.fromEntries(Object.entries(pub).filter(([k]) => !k.startsWith(`${name}.d/`)));
      for (const [rel, content] of [...plan.publicFiles].sort(([a], [b]) => compareNames(a, b))) {
        publicOps.push({ write: join(dir, rel), data: () => content });
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
  encryptFile: EncryptFile = encryptHere,
): Promise<void> {
  const writes = await prepare(plans.values(), decls, layout, hashes, encryptFile);
  // Every file is encrypted and written as a temporary file first, so the hashes are known and
  // nothing is visible yet; then the journal; then the renames in order.
  const staged = writes.phases.some((phase) => phase.length > 0)
    ? await stageWrites(writes.phases)
    : undefined;
  const next = nextManifest(old, plans, decls, layout, hashes, writes);
  if (staged !== undefined) {
    try {
      await ensureGitFiles(layout.secretsDir);
      await writeJournal(layout, next);
    } catch (err) {
      await staged.discard();
      throw err;
    }
    await staged.commit();
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
  return { admins: decls.admins, hosts: recipientHosts(decls, secrets), secrets };
}

/** The declared hosts' keys that are recipients of some entry, by host. */
function recipientHosts(
  decls: Declarations,
  secrets: ReadonlyMap<string, ManifestEntry>,
): Record<string, string[]> {
  const used = new Set<string>();
  for (const entry of secrets.values()) for (const r of entry.recipients) used.add(r);
  const out: Record<string, string[]> = {};
  for (const host of Object.keys(decls.hosts).sort(compareNames)) {
    const keys = (decls.hosts[host] ?? []).filter((k) => used.has(k));
    if (keys.length > 0) out[host] = keys;
  }
  return out;
}

/**
 * Write the manifest when its text changed. Returns whether it was written. A manifest that
 * differs only by lacking `hosts` (written before it existed) is left as it is.
 */
export async function writeManifest(layout: Layout, manifest: Manifest): Promise<boolean> {
  const text = serializeManifest(manifest);
  const path = layout.manifestFile;
  if (existsSync(path)) {
    const old = readFileSync(path, "utf8");
    if (old === text || old === serializeManifest(manifest, false)) return false;
  }
  await writeFileAtomic(path, text);
  return true;
}
