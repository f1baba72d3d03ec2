/**
 * One run of `generate` or `check`: load what is stored, decide for every secret (analyze.ts),
 * write (apply.ts, generate only), and report. Declaration errors found while rendering (unknown
 * names, cycles, bad function arguments) abort before anything is written.
 */
import { existsSync, readFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { AgeError, type Identity } from "../age/index.js";
import { compareNames } from "../declarations/names.js";
import type { Declarations, SecretDecl } from "../declarations/types.js";
import { SecretgenError, runtimeError, type Warning } from "../errors.js";
import type { Layout } from "../store/layout.js";
import { loadManifestWithJournal } from "../store/journal.js";
import { sha256Hex, type Manifest } from "../store/manifest.js";
import { hashFileIfExists, readIfExists } from "../store/files.js";
import { parseRecord } from "../store/record.js";
import { Analysis, type Plan, type StoredSecret } from "./analyze.js";
import { commitPlans, type FileHashes } from "./write/index.js";
import { likelyDataReads } from "./likely-reads.js";
import { LocalExecutor, type Executor } from "./exec/index.js";
import { orphans } from "./orphans.js";
import { removedRecipients } from "./removed-recipients.js";
import { noEntropyOpens } from "./unreadable.js";
import { checkSelection, inScope, neverGenerated, withReaders } from "./scope.js";
import { exitCode, type RunReport, type SecretReport, type SecretState } from "./report.js";

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
  /** Tests only: a seed that replaces the CSPRNG (per secret and stream position). */
  seed?: string;
  /** Environment for scripts (default: process.env). */
  env?: NodeJS.ProcessEnv;
  /** Progress: secrets decided so far, out of how many. */
  onProgress?: (done: number, total: number) => void;
}

/** Whether an error is an age plugin's failure (it concerns the run, not one secret). */
function isPluginFailure(err: unknown): err is AgeError {
  return err instanceof AgeError && err.kind === "plugin";
}

async function decryptAs(what: string, name: string, ciphertext: Uint8Array, exec: Executor) {
  try {
    return await exec.decrypt(ciphertext);
  } catch (err) {
    if (isPluginFailure(err)) throw err;
    if (err instanceof SecretgenError) {
      throw runtimeError(`cannot decrypt its ${what} file: ${err.message}`, {
        secret: name,
        hint:
          err.hint ??
          "is the right identity given (-i)? a secret that cannot be decrypted is never regenerated",
        cause: err,
      });
    }
    throw err;
  }
}

/**
 * The bytes of a data file loadStored hashed. They must hash the same now: a file changed in
 * the middle of a run is an error, never decrypted as if it were the one the run decided on.
 */
export function dataBytes(
  name: string,
  layout: Layout,
  stored: ReadonlyMap<string, StoredSecret>,
): Uint8Array {
  const bytes = readIfExists(layout.dataFile(name));
  const hash = stored.get(name)?.dataHash;
  if (bytes === undefined || hash === undefined || sha256Hex(bytes) !== hash) {
    throw runtimeError("data file changed while secretgen was running", {
      secret: name,
      hint: "run the command again",
    });
  }
  return bytes;
}

/**
 * Hash the data files of the given secrets, read and decrypt their entropy records.
 * `likelyReads` names the data files to decrypt along with them (see likely-reads.ts), for an
 * executor that batches decryptions (plugin sessions).
 */
export async function loadStored(
  names: Iterable<string>,
  layout: Layout,
  exec: Executor,
  likelyReads?: (stored: ReadonlyMap<string, StoredSecret>) => Iterable<string>,
): Promise<Map<string, StoredSecret>> {
  const stored = new Map<string, StoredSecret>();
  const decrypting: Promise<void>[] = [];
  for (const name of names) {
    const s: StoredSecret = {};
    // Data files are hashed, not kept: a no-op run decrypts none (dataBytes reads one again).
    const dataHash = hashFileIfExists(layout.dataFile(name));
    if (dataHash !== undefined) s.dataHash = dataHash;
    const entropy = readIfExists(layout.entropyFile(name));
    if (entropy !== undefined) {
      s.entropyHash = sha256Hex(entropy);
      decrypting.push(
        decryptAs("entropy", name, entropy, exec).then(
          (plaintext) => {
            try {
              s.record = parseRecord(plaintext, name);
            } catch (err) {
              if (!(err instanceof SecretgenError)) throw err;
              s.record = err;
            }
          },
          (err: unknown) => {
            if (!(err instanceof SecretgenError)) throw err;
            s.record = err;
          },
        ),
      );
    }
    stored.set(name, s);
  }
  if (exec.prefetch !== undefined && likelyReads !== undefined) {
    for (const name of likelyReads(stored)) {
      const bytes = readIfExists(layout.dataFile(name));
      if (bytes !== undefined) exec.prefetch(bytes);
    }
  }
  await Promise.all(decrypting);
  return stored;
}

/**
 * This thread, or a pool of worker threads when there is enough work to pay for starting them
 * (~100 ms each, and each compiles its own templates): with an explicit `--jobs N` from 200
 * secrets on; by default when templates or JSON must be rendered afresh (bcrypt: first
 * generation, a changed declaration, rotation; in `generate` only) or from 5000 secrets on. Encryption then runs
 * on the pool too.
 */
async function executorFor(
  opts: RunOptions,
  layout: Layout,
  manifest: Manifest,
): Promise<Executor> {
  const jobs = opts.jobs ?? Math.min(2, availableParallelism());
  const size = opts.decls.secrets.size;
  let pool: boolean;
  if (jobs <= 1) pool = false;
  else if (opts.jobs !== undefined) pool = size >= (opts.workerThreshold ?? 200);
  else {
    let fresh = opts.rotate?.length ?? 0;
    // check and --dry-run render nothing afresh
    for (const decl of opts.mode === "generate" ? opts.decls.secrets.values() : []) {
      const kind = decl.generator.kind;
      if (kind !== "template" && kind !== "json") continue;
      // Rendered afresh (bcrypt paid): never generated, or its declaration changed.
      const entry = manifest.secrets.get(decl.name);
      if (
        entry?.declarationHash !== decl.declarationHash ||
        !existsSync(layout.entropyFile(decl.name))
      )
        fresh++;
      if (fresh >= 4) break;
    }
    pool = fresh >= 4 || size >= 5000;
  }
  // Plugin identities stay on this thread: workers get the native ones only.
  const natives = opts.identities.filter((id) => id.type !== "plugin");
  let executor: Executor;
  if (!pool) executor = new LocalExecutor(natives, opts.seed);
  else {
    const { WorkerPool } = await import("./exec/worker-pool.js");
    executor = new WorkerPool(jobs, natives, opts.seed);
  }
  if (natives.length === opts.identities.length) return executor;
  const { PluginRouting } = await import("./exec/plugin-sessions.js");
  return new PluginRouting(executor, opts.identities);
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
  const rotate = opts.rotate ?? [];
  const all = [...decls.secrets.keys()];
  const stored = await loadStored(all, layout, executor, (s) =>
    likelyDataReads(decls, manifest, s),
  );
  const unreadable = noEntropyOpens(
    stored,
    manifest.admins.length > 0 ? manifest.admins : decls.admins,
    opts.identities.some((id) => id.type === "plugin"),
  );
  if (unreadable !== undefined) throw unreadable;
  const named = [...(opts.names ?? []), ...rotate, ...(opts.values?.keys() ?? [])];
  const selected =
    opts.names === undefined && named.length === 0
      ? undefined
      : withReaders(named, decls, manifest, stored);
  const candidates = new Set(
    selected === undefined
      ? []
      : neverGenerated(decls, manifest, stored).filter((n) => !selected.has(n)),
  );

  const analysis: Analysis = new Analysis({
    decls,
    manifest,
    stored,
    mode: opts.mode === "generate" ? "generate" : "check",
    rotate: new Set(rotate),
    values: opts.values,
    discover: candidates,
    executor,
    scriptSlots: Math.max(1, opts.jobs ?? 2),
    onDecided: () => opts.onProgress?.(analysis.plans.size, selected?.size ?? all.length),
    decryptData: async (name) => decryptAs("data", name, dataBytes(name, layout, stored), executor),
    runScript: async (decl, spec, deps) => {
      const { runScript } = await import("./script/index.js");
      const redact: Uint8Array[] = [...analysis.plans.values()].flatMap((p) =>
        p.value ? [p.value] : [],
      );
      return runScript({
        secret: decl.name,
        spec,
        dependencies: deps,
        redact: [...redact, ...deps.values()],
        env: opts.env,
      });
    },
  });
  const plans = inScope(
    await analysis.run(
      selected === undefined ? all : all.filter((n) => selected.has(n) || candidates.has(n)),
    ),
    selected,
    candidates,
  );
  // A plugin that failed (missing, crashed, timed out, …) fails the run once, nothing written.
  for (const plan of plans.values()) if (isPluginFailure(plan.error)) throw plan.error;
  checkPublicKeys(plans, layout, opts.mode === "generate");

  const reports: SecretReport[] = [];
  for (const name of [...plans.keys()].sort(compareNames)) {
    const plan = plans.get(name);
    if (plan) reports.push(toReport(plan.decl, plan, opts.mode));
  }
  if (selected === undefined) reports.push(...orphans(decls, manifest, layout));

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
  warnings.push(...removedRecipients(manifest, decls, plans));
  for (const r of reports) {
    if (r.state === "pending") warnings.push({ secret: r.name, message: r.reason ?? "pending" });
  }
  return { mode: opts.mode, secrets: reports, warnings, exitCode: exitCode(reports, opts.mode) };
}

/** Keypair public files: rewritten (same value) when missing or changed. */
function checkPublicKeys(
  plans: ReadonlyMap<string, Plan>,
  layout: Layout,
  generate: boolean,
): void {
  for (const plan of plans.values()) {
    if (plan.publicKey === undefined || plan.state !== "unchanged") continue;
    const path = layout.publicFile(plan.decl.name);
    if (existsSync(path) && readFileSync(path, "utf8") === plan.publicKey) continue;
    plan.state = generate ? "restored" : existsSync(path) ? "stale" : "missing";
    plan.reason = existsSync(path) ? "public key file changed" : "public key file was missing";
  }
}

function toReport(decl: SecretDecl, plan: Plan, mode: RunOptions["mode"]): SecretReport {
  let state: SecretState = plan.state;
  if (mode !== "generate" && state === "pending") state = "missing";
  const r: SecretReport = {
    name: decl.name,
    generator: decl.generator.kind,
    hosts: decl.hosts,
    state,
  };
  if (plan.reason !== undefined) r.reason = plan.reason;
  if (plan.error !== undefined) r.error = plan.error;
  return r;
}
