/**
 * The decision for every secret: fresh, create, regenerate, restore, rekey, drift, failed,
 * skipped or pending — exactly the design's table. Pure decisions over loaded state; the only
 * effects are rendering, running scripts (generate mode) and decrypting data files through the
 * callbacks. Nothing is written here: `apply.ts` writes the resulting plans.
 */
import type { Declarations, ScriptSpec, SecretDecl } from "../declarations/types.js";
import { ExitCode, SecretgenError, quote, runtimeError, usageError } from "../errors.js";
import { sameList, sha256Hex as digest, type Manifest } from "../store/manifest.js";
import type { EntropyRecord } from "../store/record.js";
import { renderWithRestarts, type Executor, type RenderOutcome } from "./exec/index.js";
import type { SecretState } from "./report.js";
import { RENDERER_VERSION } from "../store/renderer-version.js";
import { redact } from "./script/redact.js";
import { utf8 } from "./functions/values.js";

/** Files of one secret as found on disk: hashes of its ciphertexts, its decrypted record. */
export interface StoredSecret {
  /** SHA-256 (hex) of data/NAME.age; undefined when there is no data file. */
  dataHash?: string;
  entropyHash?: string;
  /** The decrypted record, or the error decrypting/parsing it. */
  record?: EntropyRecord | SecretgenError;
}

export interface AnalyzeInput {
  decls: Declarations;
  manifest: Manifest;
  stored: ReadonlyMap<string, StoredSecret>;
  mode: "generate" | "check";
  rotate: ReadonlySet<string>;
  /** Where renders run (this thread or workers). */
  executor: Executor;
  /** How many scripts may run at once. */
  scriptSlots: number;
  /**
   * check mode: secrets to render even though they would be created (never generated), to learn
   * what they read (a run limited to some secrets keeps those that read one of them).
   */
  discover?: ReadonlySet<string>;
  /** Manual secrets this run sets (`secretgen set`), with their new values. */
  values?: ReadonlyMap<string, Uint8Array>;
  /** Called each time a secret's decision is made (progress display). */
  onDecided?: () => void;
  /** Read and decrypt the data file of `name` (whose hash is `stored.get(name).dataHash`). */
  decryptData(name: string): Promise<Uint8Array>;
  runScript(
    decl: SecretDecl,
    spec: ScriptSpec,
    deps: ReadonlyMap<string, Uint8Array>,
  ): Promise<{ value: Uint8Array; publicFiles: Map<string, Uint8Array> }>;
}

export interface Plan {
  decl: SecretDecl;
  state: SecretState;
  reason?: string;
  error?: SecretgenError;
  /** The secret's value after this run, when known. */
  value?: Uint8Array;
  /** A record to encrypt and write to entropy/NAME.age (new, or updated). */
  writeRecord?: EntropyRecord;
  /** The existing record, re-encrypted as is (admins changed). */
  reencryptRecord?: EntropyRecord;
  /** Encrypt `value` to data/NAME.age. */
  writeData?: boolean;
  /** Expected content of public/NAME.pub (keypairs). */
  publicKey?: string;
  /** Script public files (relative path → content) to write to public/NAME.d/. */
  publicFiles?: Map<string, Uint8Array>;
  /** Names of the secrets this one read. */
  reads: string[];
  /** check mode: the value will change when generated (its readers will change too). */
  willChange?: boolean;
}

/** Thrown by resolve() when a dependency cannot give a value; the reader takes its state. */
class Blocked extends Error {
  constructor(
    readonly state: "skipped" | "pending" | "stale",
    /** The secret it reads that blocks it. */
    readonly on: string,
    readonly because: string,
  ) {
    super(because);
  }
}

export class Analysis {
  readonly plans = new Map<string, Plan>();
  private readonly inflight = new Map<string, Promise<void>>();
  /** Reader → the secret it is waiting for: the waits-for graph that finds cycles. */
  private readonly waitsFor = new Map<string, string>();
  private scriptsRunning = 0;
  private readonly scriptQueue: (() => void)[] = [];

  constructor(private readonly input: AnalyzeInput) {}

  /**
   * Whether the entropy file must be re-encrypted: the manifest does not say it is encrypted to
   * today's admins (each entry records its entropy file's own recipients).
   */
  private adminsChanged(decl: SecretDecl, stored: StoredSecret): boolean {
    const admins = this.input.manifest.secrets.get(decl.name)?.admins;
    return (
      admins === undefined ||
      !sameList(admins, this.input.decls.admins) ||
      !this.trusted(decl, stored)
    );
  }

  /** A killed run began writing this secret's files and did not finish (see journal.ts). */
  private interrupted(name: string): boolean {
    return this.input.manifest.interrupted?.has(name) === true;
  }

  /** Analyse the given secrets (and, on the way, everything they read), concurrently. */
  async run(names: Iterable<string>): Promise<Map<string, Plan>> {
    const results = await Promise.allSettled(
      [...names].map((name) => this.resolve(name, undefined)),
    );
    const usage = results.find(
      (r): r is PromiseRejectedResult => r.status === "rejected" && !(r.reason instanceof Blocked),
    );
    if (usage !== undefined) throw usage.reason;
    return this.plans;
  }

  private decl(name: string, reader: string | undefined): SecretDecl {
    const decl = this.input.decls.secrets.get(name);
    if (decl !== undefined) return decl;
    throw usageError(this.unknownSecret(name), { secret: reader ?? name });
  }

  /**
   * "reads unknown secret NAME", without the name when it holds a known value (or one of the
   * encodings the script redaction recognises): a computed name, as in `secret (secret "x")`,
   * may be another secret's value, and errors never show values.
   */
  private unknownSecret(name: string): string {
    const values = [...this.plans.values()].flatMap((p) => (p.value ? [p.value] : []));
    for (const v of this.input.values?.values() ?? []) values.push(v);
    const text = Buffer.from(utf8(name));
    if (redact(text, values).equals(text)) return `reads unknown secret ${quote(name)}`;
    return "reads an unknown secret whose name holds a secret's value (so it is not shown)";
  }

  /** Fail when `reader` waiting for `name` would close a cycle. */
  private checkCycle(reader: string, name: string): void {
    if (reader === name) throw usageError("reads its own value", { secret: name });
    const path = [reader, name];
    for (let cur: string | undefined = name; cur !== undefined; cur = this.waitsFor.get(cur)) {
      if (cur === reader) {
        // Name the cycle from its first member, so the message does not depend on timing.
        const ring = path;
        const start = ring.indexOf([...ring].sort()[0] ?? reader);
        const cycle = [...ring.slice(start), ...ring.slice(0, start)];
        throw usageError(`dependency cycle: ${[...cycle, cycle[0]].join(" -> ")}`, {
          secret: cycle[0],
        });
      }
      if (cur !== name) path.push(cur);
      if (path.length > this.input.decls.secrets.size + 2) break;
    }
  }

  /** Resolve a secret; throws Blocked when it has no usable value for readers. */
  async resolve(name: string, reader: string | undefined): Promise<void> {
    if (reader !== undefined) this.checkCycle(reader, name);
    let pending = this.inflight.get(name);
    if (pending === undefined) {
      pending = this.settle(this.decl(name, reader));
      this.inflight.set(name, pending);
    }
    if (reader !== undefined) this.waitsFor.set(reader, name);
    try {
      await pending;
    } finally {
      if (reader !== undefined) this.waitsFor.delete(reader);
    }
    const plan = this.plans.get(name);
    if (plan === undefined) throw new Error(`no plan for ${name}`);
    // Only a reader needs the value: a data file nothing reads is never decrypted.
    if (plan.value !== undefined || reader === undefined) return;
    if (plan.willChange)
      throw new Blocked("stale", name, `reads ${quote(name)}, which will change`);
    if (plan.state === "pending")
      throw new Blocked("pending", name, `reads ${quote(name)}, which has no value yet`);
    if (plan.state === "failed" || plan.state === "drift" || plan.state === "skipped") {
      throw new Blocked(
        "skipped",
        name,
        `reads ${quote(name)}, which ${plan.state === "skipped" ? "was skipped" : "failed"}`,
      );
    }
    // Fresh script or manual secret: its value is in the data file.
    if (this.input.stored.get(name)?.dataHash === undefined)
      throw new Blocked("pending", name, `reads ${quote(name)}, which has no value yet`);
    try {
      plan.value ??= await this.input.decryptData(name);
    } catch (err) {
      if (!(err instanceof SecretgenError)) throw err;
      plan.state = "failed";
      plan.reason = err.message;
      plan.error = err;
      throw new Blocked("skipped", name, `reads ${quote(name)}, which failed`);
    }
  }

  /** Analyse one secret into `plans`; only usage errors escape. */
  private async settle(decl: SecretDecl): Promise<void> {
    let plan: Plan;
    try {
      plan = await this.analyse(decl);
    } catch (err) {
      if (err instanceof Blocked) {
        plan = { decl, state: err.state, reason: err.because, reads: [err.on] };
        if (err.state === "stale") plan.willChange = true;
      } else if (err instanceof SecretgenError && err.exitCode === ExitCode.runtime) {
        plan = { decl, state: "failed", reason: err.message, error: err, reads: [] };
      } else {
        throw err;
      }
    }
    this.plans.set(decl.name, plan);
    this.input.onDecided?.();
  }

  private async withScriptSlot<T>(fn: () => Promise<T>): Promise<T> {
    if (this.scriptsRunning >= this.input.scriptSlots) {
      await new Promise<void>((resolve) => this.scriptQueue.push(resolve));
    }
    this.scriptsRunning++;
    try {
      return await fn();
    } finally {
      this.scriptsRunning--;
      this.scriptQueue.shift()?.();
    }
  }

  private async analyse(decl: SecretDecl): Promise<Plan> {
    const stored = this.input.stored.get(decl.name) ?? {};
    if (stored.record instanceof SecretgenError) throw stored.record;
    const kind = decl.generator.kind;
    if (kind === "manual") return this.analyseManual(decl, stored);
    if (kind === "script") return this.analyseScript(decl, decl.generator, stored);
    return this.analyseReplayable(decl, stored);
  }

  /** Whether the manifest entry describes the entropy file on disk (no interrupted write). */
  private trusted(decl: SecretDecl, stored: StoredSecret): boolean {
    const entry = this.input.manifest.secrets.get(decl.name);
    return entry !== undefined && entry.entropy === stored.entropyHash;
  }

  private declarationChanged(decl: SecretDecl, stored: StoredSecret, record: EntropyRecord) {
    const entry = this.input.manifest.secrets.get(decl.name);
    const base =
      entry && this.trusted(decl, stored) ? entry.declarationHash : record.declarationHash;
    return base !== decl.declarationHash;
  }

  private hooks() {
    return {
      valueOf: (n: string) => this.plans.get(n)?.value,
      resolve: (n: string, reader: string) => this.resolve(n, reader),
    };
  }

  private async analyseReplayable(decl: SecretDecl, stored: StoredSecret): Promise<Plan> {
    const record = stored.record as EntropyRecord | undefined;
    if (this.input.rotate.has(decl.name)) return this.regenerate(decl, "rotated");
    if (record === undefined) {
      if (stored.dataHash !== undefined) {
        throw runtimeError("has a data file but no entropy file; its value is kept", {
          secret: decl.name,
          hint: `\`secretgen rotate ${decl.name}\` makes a new value, \`secretgen adopt\` keeps this one`,
        });
      }
      return this.regenerate(decl, "new", "created");
    }
    const declChanged = this.declarationChanged(decl, stored, record);
    if (record.pinned) {
      if (declChanged) return this.regenerate(decl, "declaration changed (was adopted)");
      return this.keepStored(decl, stored, record, { reads: [] });
    }
    const replay = await renderWithRestarts(
      {
        secret: decl.name,
        spec: decl.generator,
        recorded: record.entropy,
        fresh: false,
        memo: record.memo,
        hints: Object.keys(record.dependencies),
      },
      this.hooks(),
      this.input.executor,
    );
    const reads = replay ? readDigests(replay) : undefined;
    const changedDep = reads ? changedDependency(record.dependencies, reads) : undefined;
    if (replay && digest(replay.result.value) === record.output) {
      const plan = await this.keepStored(decl, stored, record, {
        value: replay.result.value,
        reads: [...replay.reads.keys()],
      });
      if (replay.result.publicKey !== undefined) plan.publicKey = replay.result.publicKey;
      if (changedDep !== undefined && plan.state !== "failed") {
        // Same output from changed inputs: keep the record's digests current, so a later change
        // is classified correctly.
        plan.writeRecord = { ...record, dependencies: reads ?? {}, memo: replay.memo };
        plan.reencryptRecord = undefined;
      }
      return plan;
    }
    if (declChanged) return this.regenerate(decl, "declaration changed");
    if (changedDep !== undefined)
      return this.rerender(decl, record, `${quote(changedDep)} changed`);
    return {
      decl,
      state: "drift",
      reason: replay
        ? "the recorded entropy renders a different value though nothing changed (drift); the old value is kept"
        : "the recorded entropy ran out though nothing changed (drift); the old value is kept",
      error: runtimeError(
        "drift: the declaration renders a different value though nothing changed",
        {
          secret: decl.name,
          hint: `a secretgen change or a bug; \`secretgen rotate ${decl.name}\` regenerates it on purpose`,
        },
      ),
      reads: [],
    };
  }

  /** A fresh render from the CSPRNG, recorded anew (new secret, changed declaration, rotate). */
  private regenerate(
    decl: SecretDecl,
    reason: string,
    state: SecretState = "regenerated",
  ): Promise<Plan> {
    return this.render(decl, reason, state, new Uint8Array(0), {});
  }

  /**
   * A reader whose own declaration is unchanged, stale because a secret it reads changed value:
   * rendered again from its own recorded bytes (so its salts and random parts stay), drawing
   * fresh bytes only past the end of the record.
   */
  private rerender(decl: SecretDecl, record: EntropyRecord, reason: string): Promise<Plan> {
    return this.render(decl, reason, "regenerated", record.entropy, record.memo);
  }

  private async render(
    decl: SecretDecl,
    reason: string,
    state: SecretState,
    recorded: Uint8Array,
    memo: Readonly<Record<string, string>>,
  ): Promise<Plan> {
    const check = this.input.mode === "check";
    if (check && this.input.discover?.has(decl.name) !== true)
      return willChange(decl, state, reason);
    const out = await renderWithRestarts(
      { secret: decl.name, spec: decl.generator, recorded, fresh: true, memo },
      this.hooks(),
      this.input.executor,
    );
    if (out === undefined) throw new Error("a fresh render cannot run out of entropy");
    if (check) return { ...willChange(decl, state, reason), reads: [...out.reads.keys()] };
    const plan: Plan = {
      decl,
      state,
      reason,
      value: out.result.value,
      writeRecord: {
        renderer: RENDERER_VERSION,
        generator: decl.generator.kind,
        declarationHash: decl.declarationHash,
        entropy: out.consumed,
        output: digest(out.result.value),
        memo: out.memo,
        dependencies: readDigests(out),
        pinned: false,
      },
      writeData: true,
      reads: [...out.reads.keys()],
    };
    if (out.result.publicKey !== undefined) plan.publicKey = out.result.publicKey;
    return plan;
  }

  /**
   * The value stays: check the data file against the record (by ciphertext hash, decrypting only
   * when the hash moved), restore it when missing, re-encrypt when recipients changed.
   */
  private async keepStored(
    decl: SecretDecl,
    stored: StoredSecret,
    record: EntropyRecord,
    known: { value?: Uint8Array; reads: string[] },
  ): Promise<Plan> {
    const plan: Plan = { decl, state: "unchanged", reads: known.reads, value: known.value };
    const entry = this.input.manifest.secrets.get(decl.name);
    if (this.adminsChanged(decl, stored)) plan.reencryptRecord = record;
    if (stored.dataHash === undefined) {
      if (plan.value === undefined) {
        throw runtimeError("data file is missing and its value cannot be replayed", {
          secret: decl.name,
          hint: "restore it from git, or `rotate` (or `set`) it",
        });
      }
      return this.act(plan, "restored", "data file was missing", { writeData: true });
    }
    const hashOk =
      entry !== undefined &&
      entry.data === stored.dataHash &&
      this.trusted(decl, stored) &&
      !this.interrupted(decl.name);
    if (!hashOk) {
      const plaintext = await this.input.decryptData(decl.name);
      if (digest(plaintext) !== record.output) {
        const setValue = this.input.values?.get(decl.name);
        const completing =
          this.interrupted(decl.name) || (entry !== undefined && !this.trusted(decl, stored));
        if (plan.value !== undefined && (completing || setValue !== undefined)) {
          // A killed run wrote the record and not the data file (or `set` puts back the value
          // the record has): finish the work.
          const reason = completing ? "completing an interrupted run" : "data file restored";
          return this.act(plan, "restored", reason, { writeData: true });
        }
        if (decl.generator.kind === "manual") {
          if (this.interrupted(decl.name)) {
            throw runtimeError(
              "a killed run recorded a new value that never reached its data file",
              {
                secret: decl.name,
                hint: `nothing was lost from the tree; store the value again: \`secretgen set ${decl.name}\``,
              },
            );
          }
          return this.setOutside(plan, plaintext);
        }
        throw runtimeError(
          "data file was changed outside secretgen (its value differs from the record)",
          {
            secret: decl.name,
            hint: `restore it from git; \`secretgen rotate ${decl.name}\` makes a new value, \`secretgen adopt ${decl.name} --from DIR\` keeps the new one`,
          },
        );
      }
      plan.value ??= plaintext;
    }
    const outside =
      entry !== undefined && entry.data !== stored.dataHash && !this.interrupted(decl.name);
    if (entry === undefined || !sameList(entry.recipients, decl.recipients) || outside) {
      // A data file re-encrypted outside secretgen may have other recipients than declared
      // (agenix -r with other rules): secretgen cannot read an X25519 file's recipients, so it
      // encrypts the same value to the declared ones again.
      return this.act(
        plan,
        "rekeyed",
        entry === undefined
          ? "not in the manifest"
          : outside && sameList(entry.recipients, decl.recipients)
            ? "data file re-encrypted outside secretgen (value unchanged); encrypted to its recipients again"
            : "recipients changed",
        {
          writeData: true,
          needValue: true,
        },
      );
    }
    if (
      plan.reencryptRecord !== undefined ||
      entry.declarationHash !== decl.declarationHash ||
      entry.generator !== decl.generator.kind ||
      !hashOk
    ) {
      return this.act(
        plan,
        "updated",
        updateReason(entry.declarationHash !== decl.declarationHash, hashOk),
      );
    }
    return plan;
  }

  /**
   * A manual secret whose data file holds a new value written by someone else (`agenix -e`,
   * `age -r … -o`): taken as set. Its record follows, and the file is encrypted to the declared
   * recipients again (the edit may have used others). Readers see the new value.
   */
  private setOutside(plan: Plan, value: Uint8Array): Plan {
    const decl = plan.decl;
    plan.value = value;
    plan.reason = "set outside secretgen";
    if (this.input.mode === "check") {
      plan.state = "stale";
      return plan;
    }
    plan.state = "updated";
    plan.reencryptRecord = undefined;
    plan.writeRecord = manualRecord(decl, value);
    // The file may have other recipients than declared: it is encrypted to them again.
    plan.writeData = true;
    return plan;
  }

  /** Set a plan's state (check mode: as stale/missing, without a value requirement). */
  private async act(
    plan: Plan,
    state: "restored" | "rekeyed" | "updated",
    reason: string,
    opts: { writeData?: boolean; needValue?: boolean } = {},
  ): Promise<Plan> {
    plan.reason = reason;
    if (this.input.mode === "check") {
      plan.state = state === "restored" ? "missing" : "stale";
      return plan;
    }
    plan.state = state;
    if (opts.writeData) {
      if (plan.value === undefined) {
        if (this.input.stored.get(plan.decl.name)?.dataHash === undefined)
          throw new Error("no data to re-encrypt");
        plan.value = await this.input.decryptData(plan.decl.name);
      }
      plan.writeData = true;
    }
    return plan;
  }

  private async analyseScript(
    decl: SecretDecl,
    spec: ScriptSpec,
    stored: StoredSecret,
  ): Promise<Plan> {
    const record = stored.record as EntropyRecord | undefined;
    const deps = new Map<string, Uint8Array>();
    for (const dep of spec.dependencies) {
      await this.resolve(dep, decl.name);
      const value = this.plans.get(dep)?.value;
      if (value !== undefined) deps.set(dep, value);
    }
    const depDigests = Object.fromEntries([...deps].map(([n, v]) => [n, digest(v)]));
    const changedDep = record && changedDependency(record.dependencies, depDigests);
    let reason: string | undefined;
    let state: SecretState = "regenerated";
    if (this.input.rotate.has(decl.name)) reason = "rotated";
    else if (record === undefined) {
      if (stored.dataHash !== undefined) {
        throw runtimeError("has a data file but no entropy file; its value is kept", {
          secret: decl.name,
          hint: `\`secretgen rotate ${decl.name}\` runs the script again, \`secretgen adopt\` keeps this value`,
        });
      }
      reason = "new";
      state = "created";
    } else if (this.declarationChanged(decl, stored, record)) reason = "declaration changed";
    else if (changedDep !== undefined) reason = `${quote(changedDep)} changed`;
    else if (stored.dataHash === undefined)
      reason = "data file was missing (scripts cannot be replayed)";
    else if (
      this.interrupted(decl.name) &&
      digest(await this.input.decryptData(decl.name)) !== record.output
    ) {
      // A killed run wrote the record and not the output it ran for: run the script again.
      reason = "completing an interrupted run (scripts cannot be replayed)";
    }
    if (reason === undefined && record !== undefined) {
      return this.keepStored(decl, stored, record, { reads: [...deps.keys()] });
    }
    if (this.input.mode === "check") return willChange(decl, state, reason);
    const out = await this.withScriptSlot(() => this.input.runScript(decl, spec, deps));
    return {
      decl,
      state,
      reason,
      value: out.value,
      publicFiles: out.publicFiles,
      writeData: true,
      writeRecord: {
        renderer: RENDERER_VERSION,
        generator: "script",
        declarationHash: decl.declarationHash,
        entropy: new Uint8Array(0),
        output: digest(out.value),
        memo: {},
        dependencies: depDigests,
        pinned: false,
      },
      reads: [...deps.keys()],
    };
  }

  private async analyseManual(decl: SecretDecl, stored: StoredSecret): Promise<Plan> {
    const record = stored.record as EntropyRecord | undefined;
    const setValue = this.input.values?.get(decl.name);
    if (setValue !== undefined) {
      if (record !== undefined && !record.pinned && digest(setValue) === record.output) {
        // The value it already has: nothing to write unless its files need it anyway.
        if (stored.dataHash !== undefined)
          return this.keepStored(decl, stored, record, { value: setValue, reads: [] });
        return this.act(
          { decl, state: "unchanged", value: setValue, reads: [] },
          "restored",
          "data file was missing",
          { writeData: true },
        );
      }
      return {
        decl,
        state: record === undefined ? "created" : "updated",
        reason: "set",
        value: setValue,
        writeRecord: manualRecord(decl, setValue),
        writeData: true,
        reads: [],
      };
    }
    if (record === undefined) {
      if (stored.dataHash !== undefined) {
        throw runtimeError("has a data file but no entropy file; its value is kept", {
          secret: decl.name,
          hint: `\`secretgen set ${decl.name}\` stores a value again, \`secretgen adopt\` keeps this one`,
        });
      }
      return { decl, state: "pending", reason: "manual secret not set", reads: [] };
    }
    if (stored.dataHash === undefined) {
      return {
        decl,
        state: "pending",
        reason: "manual secret's data file is missing; set it again",
        reads: [],
      };
    }
    return this.keepStored(decl, stored, record, { reads: [] });
  }
}

/** The record of a manual secret's value. */
function manualRecord(decl: SecretDecl, value: Uint8Array): EntropyRecord {
  return {
    renderer: RENDERER_VERSION,
    generator: decl.generator.kind,
    declarationHash: decl.declarationHash,
    entropy: new Uint8Array(0),
    output: digest(value),
    memo: {},
    dependencies: {},
    pinned: false,
  };
}

/** check mode: what generate would create or regenerate, without rendering it. */
function willChange(decl: SecretDecl, state: SecretState, reason: string | undefined): Plan {
  const plan: Plan = {
    decl,
    state: state === "created" ? "missing" : "stale",
    reads: [],
    willChange: true,
  };
  if (reason !== undefined) plan.reason = reason;
  return plan;
}

function readDigests(out: RenderOutcome): Record<string, string> {
  return Object.fromEntries([...out.reads].map(([n, v]) => [n, digest(v)]));
}

/** The first dependency whose value digest differs (or was added/removed), if any. */
function changedDependency(
  before: Record<string, string>,
  now: Record<string, string>,
): string | undefined {
  const names = [...new Set([...Object.keys(before), ...Object.keys(now)])].sort();
  return names.find((n) => before[n] !== now[n]);
}

function updateReason(declMoved: boolean, hashOk: boolean): string {
  if (declMoved) return "declaration changed, value unchanged";
  if (!hashOk) return "data file re-encrypted outside secretgen (value unchanged)";
  return "admins changed";
}
