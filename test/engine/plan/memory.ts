/**
 * The decision module's test bench: declarations validated in memory, a store of files kept in
 * maps (a "ciphertext" is a counter and the plaintext: encrypting again changes its hash, as
 * with age), a fake executor (pure renderers with a seed, decryption from the maps, an optional
 * drift), a fake script runner that counts its runs, and an in-memory apply of the plans (what
 * apply.ts writes, and the manifest entries it makes).
 */
import { createHash } from "node:crypto";
import { bech32Encode } from "../../../src/age/bech32.js";
import type { Declarations, ScriptSpec, SecretDecl } from "../../../src/declarations/types.js";
import { validateDeclarations } from "../../../src/declarations/index.js";
import { runRenderJob, type JobResult, type RenderJob } from "../../../src/engine/exec/job.js";
import {
  planRun,
  type Plan,
  type RunPlan,
  type StoredSecret,
} from "../../../src/engine/plan/index.js";
import type { Executor } from "../../../src/engine/exec/index.js";
import { runtimeError } from "../../../src/errors.js";
import type { Manifest, ManifestEntry } from "../../../src/store/manifest.js";
import type { EntropyRecord } from "../../../src/store/record.js";

export const ADMIN = bech32Encode("age", new Uint8Array(32).fill(1));
export const OTHER_ADMIN = bech32Encode("age", new Uint8Array(32).fill(2));
export const HOST = bech32Encode("age", new Uint8Array(32).fill(3));

export function declare(
  secrets: Record<string, unknown>,
  opts: { admins?: string[]; templates?: Record<string, string> } = {},
): Declarations {
  return validateDeclarations(
    { admins: opts.admins ?? [ADMIN], hosts: { web01: [HOST] }, secrets },
    { readTemplate: (rel) => opts.templates?.[rel] },
  );
}

const sha = (data: Uint8Array | string) => createHash("sha256").update(data).digest("hex");
const text = (b: Uint8Array) => Buffer.from(b).toString("utf8");

/** Pure renderers with a fixed seed; `drift` makes a replay of the named secrets differ. */
export class FakeExecutor implements Executor {
  renders = 0;
  /** Runs so far: each draws other fresh bytes (as the CSPRNG would). */
  runs = 0;
  readonly drift = new Set<string>();

  constructor(readonly store: MemoryStore) {}

  async render(job: RenderJob): Promise<JobResult> {
    this.renders++;
    const r = await runRenderJob(job, `plan-test-${this.runs}`);
    if (r.kind === "done" && !job.fresh && this.drift.has(job.secret))
      return { ...r, value: new Uint8Array([...r.value, 0x21]) };
    return r;
  }

  decrypt(ciphertext: Uint8Array): Promise<Uint8Array> {
    const plain = this.store.plaintexts.get(sha(ciphertext));
    if (plain === undefined)
      return Promise.reject(runtimeError("no identity matched any of the recipients"));
    return Promise.resolve(plain);
  }

  encrypt(plaintext: Uint8Array): Promise<Uint8Array> {
    return Promise.resolve(this.store.encrypt(plaintext));
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}

/** Script outputs: `NAME#RUN` and the dependency values; `running` tracks concurrency. */
export class FakeScripts {
  runs: string[] = [];
  running = 0;
  maxRunning = 0;
  failing = new Set<string>();
  /** Scripts wait for this before finishing (the slot test holds them). */
  gate: Promise<void> = Promise.resolve();

  run = async (
    decl: SecretDecl,
    spec: ScriptSpec,
    deps: ReadonlyMap<string, Uint8Array>,
  ): Promise<{ value: Uint8Array; publicFiles: Map<string, Uint8Array> }> => {
    this.runs.push(decl.name);
    this.running++;
    this.maxRunning = Math.max(this.maxRunning, this.running);
    try {
      await this.gate;
      if (this.failing.has(decl.name))
        throw runtimeError("script exited with status 1", { secret: decl.name });
      const inputs = spec.dependencies.map((d) => text(deps.get(d) ?? new Uint8Array()));
      const value = `${decl.name}#${this.runs.length}(${inputs.join(",")})`;
      return { value: new TextEncoder().encode(value), publicFiles: new Map() };
    } finally {
      this.running--;
    }
  };
}

/** The files of secrets/ in memory. */
export class MemoryStore {
  readonly data = new Map<string, Uint8Array>();
  readonly entropy = new Map<string, { bytes: Uint8Array; record: EntropyRecord }>();
  /** public/NAME.pub */
  readonly publicKeys = new Map<string, string>();
  manifest: Manifest = { admins: [], secrets: new Map() };
  /** Ciphertext hash → plaintext: what the admin identity opens. */
  readonly plaintexts = new Map<string, Uint8Array>();
  private counter = 0;

  encrypt(plaintext: Uint8Array): Uint8Array {
    const bytes = new TextEncoder().encode(
      `ct${this.counter++}:${Buffer.from(plaintext).toString("hex")}`,
    );
    this.plaintexts.set(sha(bytes), plaintext);
    return bytes;
  }

  /** Write a data file as someone outside secretgen would (agenix -e). */
  writeData(name: string, value: string | Uint8Array): void {
    this.data.set(
      name,
      this.encrypt(typeof value === "string" ? new TextEncoder().encode(value) : value),
    );
  }

  value(name: string): string | undefined {
    const ct = this.data.get(name);
    const plain = ct && this.plaintexts.get(sha(ct));
    return plain && text(plain);
  }

  /** The names that have files (orphans are found from it). */
  listStored() {
    const sorted = (m: Map<string, unknown>) => [...m.keys()].sort();
    return {
      data: sorted(this.data),
      entropy: sorted(this.entropy),
      public: sorted(this.publicKeys),
    };
  }

  /** Hashes of the public files, as plan/offline.ts reads them. */
  publicHashes(name: string): Record<string, string> {
    const pub = this.publicKeys.get(name);
    return pub === undefined ? {} : { [`${name}.pub`]: sha(pub) };
  }

  /** What loadStored reads. */
  stored(decls: Declarations): Map<string, StoredSecret> {
    const out = new Map<string, StoredSecret>();
    for (const decl of decls.secrets.values()) {
      const s: StoredSecret = {};
      const data = this.data.get(decl.name);
      if (data !== undefined) s.dataHash = sha(data);
      const entropy = this.entropy.get(decl.name);
      if (entropy !== undefined) {
        s.entropyHash = sha(entropy.bytes);
        s.record = entropy.record;
      }
      if (["wireguard", "ssh-ed25519", "age"].includes(decl.generator.kind))
        s.publicKey = this.publicKeys.get(decl.name) ?? null;
      out.set(decl.name, s);
    }
    return out;
  }

  /** The files and manifest entries that `plans` lead to (apply.ts, in memory). */
  apply(plans: ReadonlyMap<string, Plan>, decls: Declarations): void {
    const old = this.manifest;
    const secrets = new Map(old.secrets);
    const entropyWritten = new Set<string>();
    for (const [name, plan] of plans) {
      const record = plan.writeRecord ?? plan.reencryptRecord;
      if (record !== undefined) {
        this.entropy.set(name, {
          bytes: this.encrypt(new TextEncoder().encode(JSON.stringify(record.output))),
          record,
        });
        entropyWritten.add(name);
      }
      if (plan.writeData) {
        if (plan.value === undefined) throw new Error(`no value to write for ${name}`);
        this.data.set(name, this.encrypt(plan.value));
      }
      if (plan.publicKey !== undefined) this.publicKeys.set(name, plan.publicKey);
    }
    for (const [name, plan] of plans) {
      if (["failed", "drift", "skipped"].includes(plan.state)) continue;
      const data = this.data.get(name);
      const entropy = this.entropy.get(name);
      if (data === undefined && entropy === undefined) continue;
      const before = old.secrets.get(name);
      const dependencies: Record<string, string> = {};
      for (const dep of [...plan.reads].sort()) {
        const h = this.data.get(dep);
        if (h !== undefined) dependencies[dep] = sha(h);
      }
      const entry: ManifestEntry = {
        generator: plan.decl.generator.kind,
        declarationHash: plan.decl.declarationHash,
        recipients:
          plan.writeData || before === undefined ? plan.decl.recipients : before.recipients,
        dependencies,
        public: this.publicHashes(name),
      };
      if (data !== undefined) entry.data = sha(data);
      if (entropy !== undefined) {
        entry.entropy = sha(entropy.bytes);
        const admins = entropyWritten.has(name) ? decls.admins : before?.admins;
        if (admins !== undefined) entry.admins = admins;
      }
      secrets.set(name, entry);
    }
    this.manifest = { admins: decls.admins, secrets };
  }
}

export interface Run extends RunPlan {
  /** name → [state, reason] */
  table: Record<string, [string, string | undefined]>;
}

/** A run of the decision module over the store (generate applies its plans, as apply.ts does). */
export class World {
  readonly store = new MemoryStore();
  readonly executor = new FakeExecutor(this.store);
  readonly scripts = new FakeScripts();
  scriptSlots = 2;

  constructor(public decls: Declarations) {}

  async run(
    mode: "generate" | "check" | "dry-run",
    opts: { names?: string[]; rotate?: string[]; values?: Record<string, string> } = {},
  ): Promise<Run> {
    const stored = this.store.stored(this.decls);
    this.executor.runs++;
    const values =
      opts.values &&
      new Map(Object.entries(opts.values).map(([k, v]) => [k, new TextEncoder().encode(v)]));
    const out = await planRun({
      decls: this.decls,
      manifest: this.store.manifest,
      stored,
      mode,
      names: opts.names,
      rotate: opts.rotate ?? [],
      values,
      executor: this.executor,
      scriptSlots: this.scriptSlots,
      viaPlugin: false,
      files: this.store,
      decryptData: async (name) => {
        const ct = this.store.data.get(name);
        if (ct === undefined) throw new Error(`no data file for ${name}`);
        return this.executor.decrypt(ct);
      },
      runScript: (decl, spec, deps) => this.scripts.run(decl, spec, deps),
    });
    if (mode === "generate") this.store.apply(out.plans, this.decls);
    const table: Run["table"] = {};
    for (const s of out.secrets) table[s.name] = [s.state, s.reason];
    return { ...out, table };
  }
}
