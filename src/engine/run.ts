/**
 * One run of `generate` or `check`: load what is stored (stored.ts), decide for every secret
 * (plan/), write (apply.ts, generate only), and report. Declaration errors found while
 * rendering (unknown names, cycles, bad function arguments) abort before anything is written.
 */
import { existsSync } from "node:fs";
import { availableParallelism } from "node:os";
import type { Identity } from "../age/index.js";
import type { Declarations, GeneratorKind } from "../declarations/index.js";
import type { Warning } from "../errors.js";
import { type Layout, loadManifestWithJournal, type Manifest } from "../store/index.js";
import { commitPlans, type FileHashes } from "./write/index.js";
import { likelyDataReads } from "./likely-reads.js";
import {
  checkSelection,
  planRun,
  runReport,
  type OutOfDate,
  type RunReport,
} from "./plan/index.js";
import { LocalExecutor, type EarlyDecrypt, type Executor } from "./exec/index.js";
import { removedRecipients } from "./removed-recipients.js";
import { runScript } from "./script/index.js";
import { dataBytes, decryptAs, loadStored } from "./stored.js";
import { FRESH_RENDERS, threadCount, workersFor } from "./workers.js";

/** Generators with a public key file (public/NAME.pub). */
const KEYPAIRS: ReadonlySet<GeneratorKind> = new Set(["wireguard", "ssh-ed25519", "age"]);

export interface RunOptions {
  decls: Declarations;
  layout: Layout;
  identities: Identity[];
  mode: "generate" | "check" | "dry-run";
  /**
   * Only these secrets, the secrets that read them (they follow), and the secrets they read that
   * must be created or regenerated for them to render; nothing else is written or reported.
   */
  names?: string[];
  /** Manual secrets to set to these values (`secretgen set`); they are in scope. */
  values?: ReadonlyMap<string, Uint8Array>;
  /** Regenerate these with new randomness (and re-render their readers). */
  rotate?: string[];
  /** Threads (default: the CPUs, at most 2; 1 = this thread only). See executorFor. */
  jobs?: number;
  /** With an explicit `jobs`, use workers from this many declared secrets (default 200). */
  workerThreshold?: number;
  /** Entropy files being decrypted ahead on a worker (exec/early-decrypt.ts), not closed here. */
  early?: EarlyDecrypt;
  /** Tests only: a seed that replaces the CSPRNG (per secret and stream position). */
  seed?: string;
  /** Environment for scripts (default: process.env). */
  env?: NodeJS.ProcessEnv;
  /** Progress: secrets decided so far, out of how many. */
  onProgress?: (done: number, total: number) => void;
  /**
   * check: what else is out of date (secrets/secrets.nix, manifest.json), asked once the secrets
   * are decided, with the manifest as the files on disk are.
   */
  outOfDate?: (manifest: Manifest) => OutOfDate[];
}

/**
 * This thread, or a pool of worker threads beside it (workers.ts decides how many). Workers
 * get the native identities only: a plugin identity stays on this thread. Without a pool, the
 * worker that decrypted the entropy files early encrypts beside this thread (split-encrypt.ts).
 */
async function executorFor(
  opts: RunOptions,
  layout: Layout,
  manifest: Manifest,
): Promise<Executor> {
  const workers = workersFor({
    jobs: threadCount(opts.jobs, availableParallelism()),
    explicit: opts.jobs !== undefined,
    threshold: opts.workerThreshold,
    size: opts.decls.secrets.size,
    early: opts.early !== undefined,
    freshRenders: () => freshRenders(opts, layout, manifest),
  });
  const natives = opts.identities.filter((id) => id.type !== "plugin");
  let executor: Executor;
  if (workers === 0) {
    executor = new LocalExecutor(natives, opts.seed);
    if (opts.early !== undefined && opts.mode === "generate") {
      const { SplitEncrypt } = await import("./exec/split-encrypt.js");
      executor = new SplitEncrypt(executor, opts.early);
    }
  } else {
    const { WorkerPool } = await import("./exec/worker-pool.js");
    executor = new WorkerPool(workers, natives, opts.seed);
  }
  if (natives.length === opts.identities.length) return executor;
  const { PluginRouting } = await import("./exec/plugin-sessions.js");
  return PluginRouting.create(executor, opts.identities);
}

/**
 * Templates and JSON secrets rendered afresh (bcrypt paid: never generated, or a changed
 * declaration; in `generate` only: check and --dry-run render nothing afresh), plus the
 * rotations, counted up to FRESH_RENDERS.
 */
function freshRenders(opts: RunOptions, layout: Layout, manifest: Manifest): number {
  let fresh = opts.rotate?.length ?? 0;
  for (const decl of opts.mode === "generate" ? opts.decls.secrets.values() : []) {
    if (fresh >= FRESH_RENDERS) break;
    const kind = decl.generator.kind;
    if (kind !== "template" && kind !== "json") continue;
    const entry = manifest.secrets.get(decl.name);
    if (
      entry?.declarationHash !== decl.declarationHash ||
      !existsSync(layout.entropyFile(decl.name))
    )
      fresh++;
  }
  return fresh;
}

export async function run(opts: RunOptions): Promise<RunReport> {
  const { decls, layout } = opts;
  const warnings: Warning[] = [];
  const manifest = loadManifestWithJournal(layout, warnings);
  const rotate = opts.rotate ?? [];
  const setting = [...(opts.values?.keys() ?? [])];
  checkSelection([...(opts.names ?? []), ...rotate, ...setting], decls);
  const executor = await executorFor(opts, layout, manifest);
  try {
    return await runWith(opts, executor, manifest, warnings);
  } finally {
    await executor.close();
  }
}

async function runWith(
  opts: RunOptions,
  executor: Executor,
  manifest: Manifest,
  warnings: Warning[],
): Promise<RunReport> {
  const { decls, layout } = opts;
  const keypairs = new Set<string>();
  for (const decl of decls.secrets.values())
    if (KEYPAIRS.has(decl.generator.kind)) keypairs.add(decl.name);
  const stored = await loadStored(decls.secrets.keys(), layout, executor, {
    likelyReads: (s) => likelyDataReads(decls, manifest, s),
    keypairs,
    early: opts.early,
  });
  const { plans, secrets } = await planRun({
    decls,
    manifest,
    stored,
    mode: opts.mode,
    names: opts.names,
    rotate: opts.rotate ?? [],
    values: opts.values,
    executor,
    scriptSlots: Math.max(1, opts.jobs ?? 2),
    viaPlugin: opts.identities.some((id) => id.type === "plugin"),
    files: layout,
    onProgress: opts.onProgress,
    decryptData: async (name) => decryptAs("data", name, dataBytes(name, layout, stored), executor),
    runScript: async (decl, spec, deps, redact) => {
      return runScript({
        secret: decl.name,
        spec,
        dependencies: deps,
        redact: redact(),
        env: opts.env,
      });
    },
  });
  if (opts.mode === "generate") {
    const hashes: FileHashes = { data: new Map(), entropy: new Map() };
    for (const [name, s] of stored) {
      if (s.dataHash !== undefined) hashes.data.set(name, s.dataHash);
      if (s.entropyHash !== undefined) hashes.entropy.set(name, s.entropyHash);
    }
    await commitPlans(plans, decls, layout, manifest, hashes, (p, r, armor) =>
      executor.encrypt(p, r, armor),
    );
  }
  // A run killed before manifest.json left it behind its files: generate completes it and says
  // so once done, --dry-run says it would (check reports it as out of date: outOfDate).
  const behind = manifest.unrecorded?.size ?? 0;
  if (behind > 0 && opts.mode !== "check") {
    const what = `secrets/manifest.json, which an interrupted run had left behind the files of ${String(behind)} secret(s)`;
    warnings.push({
      message: opts.mode === "generate" ? `completed ${what}` : `would complete ${what}`,
    });
  }
  warnings.push(...removedRecipients(manifest, decls, plans));
  for (const r of secrets) {
    if (r.state === "pending") warnings.push({ secret: r.name, message: r.reason ?? "pending" });
  }
  return runReport(opts.mode, secrets, warnings, opts.outOfDate?.(manifest) ?? []);
}
