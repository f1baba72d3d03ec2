/**
 * Pruning (`prune`): the files and manifest entries of secrets that are no longer declared.
 * The files are removed through the ordered-write layer in the reverse of the order apply writes
 * them: public files, then data files, then entropy files, each phase durable before the next;
 * then the directories left empty; then manifest.json, once, without their entries. A run killed
 * at any moment leaves every secret it was pruning an orphan still (its manifest entry and the
 * files not yet removed, a prefix of what it writes when made), so `check` reports the same
 * orphans and the next prune finishes them.
 */
import { existsSync, readdirSync } from "node:fs";
import { dirname, join, sep } from "node:path";
import { compareNames, type Declarations } from "../declarations/index.js";
import type { Warning } from "../errors.js";
import {
  removeEmptyParents,
  loadManifestWithJournal,
  type Layout,
  type Manifest,
  writeInOrder,
  type OrderedOp,
} from "../store/index.js";
import { writeManifest } from "./write/index.js";
import { orphanNames } from "./plan/index.js";

/** What pruning removes: the secrets, their files by phase, and the manifest after. */
export interface PrunePlan {
  /** The undeclared secrets, sorted. */
  names: string[];
  /** Removals: public files, data files, entropy files (each phase by name). */
  phases: [publicFiles: OrderedOp[], data: OrderedOp[], entropy: OrderedOp[]];
  /**
   * Directories to remove once empty, with their empty parents up to secrets/: those of every
   * file the secrets have, or had (a killed prune may have emptied them).
   */
  dirs: string[];
  /** The manifest without the pruned entries. */
  manifest: Manifest;
}

/** Files and directories under `dir` (files, then directories innermost first); none if missing. */
function walk(dir: string): { files: string[]; dirs: string[] } {
  const files: string[] = [];
  const dirs: string[] = [];
  const visit = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true }).sort((a, b) =>
      compareNames(a.name, b.name),
    )) {
      const p = join(d, e.name);
      if (e.isDirectory()) visit(p);
      else files.push(p);
    }
    dirs.push(d);
  };
  if (existsSync(dir)) visit(dir);
  return { files, dirs };
}

/**
 * What `prune` would remove, from the tree as it is on disk (the manifest completed from the
 * journal of a killed run). Reads, writes nothing.
 */
export function planPrune(decls: Declarations, layout: Layout): PrunePlan {
  const warnings: Warning[] = [];
  const old = loadManifestWithJournal(layout, warnings);
  const names = orphanNames(decls, old, layout);
  const plan: PrunePlan = {
    names,
    phases: [[], [], []],
    dirs: [],
    manifest: { ...old, secrets: new Map(old.secrets) },
  };
  const [publicOps, dataOps, entropyOps] = plan.phases;
  const remove = (ops: OrderedOp[], file: string) => {
    if (existsSync(file)) ops.push({ remove: file });
    plan.dirs.push(dirname(file));
  };
  for (const name of names) {
    remove(publicOps, layout.publicFile(name));
    // public/NAME.d/ may also hold the public files of declared secrets named NAME.d/… (NAME is
    // no longer declared, so that name is allowed now): those stay.
    const theirs = declaredInside(decls, layout, name);
    const publicDir = walk(layout.publicDir(name));
    for (const file of publicDir.files)
      if (!theirs.some((t) => file === t.file || file.startsWith(t.dir + sep)))
        publicOps.push({ remove: file });
    plan.dirs.push(...publicDir.dirs);
    remove(dataOps, layout.dataFile(name));
    remove(entropyOps, layout.entropyFile(name));
    plan.manifest.secrets.delete(name);
  }
  return plan;
}

/** The public file and directory of every declared secret whose name starts with `NAME.d/`. */
function declaredInside(decls: Declarations, layout: Layout, name: string) {
  const prefix = `${name}.d/`;
  return [...decls.secrets.keys()]
    .filter((d) => d.startsWith(prefix))
    .map((d) => ({ file: layout.publicFile(d), dir: layout.publicDir(d) }));
}

/** Carry out a plan: the removals in order, the empty directories, then the manifest. */
export async function executePrune(layout: Layout, plan: PrunePlan): Promise<void> {
  if (plan.names.length === 0) return;
  await writeInOrder(plan.phases);
  for (const dir of plan.dirs) await removeEmptyParents(dir, layout.secretsDir);
  await writeManifest(layout, plan.manifest);
}
