/**
 * The decision for every secret: fresh, create, regenerate, restore, rekey, drift, failed,
 * skipped or pending — exactly the design's table. Pure decisions over stored state; the only
 * effects are rendering, running scripts (generate mode) and decrypting data files through the
 * input's callbacks. Plans are final when `decide` returns: apply only executes them.
 */
import type { Declarations, ScriptSpec, SecretDecl } from "../../declarations/index.js";
import { ExitCode, SecretgenError, quote, usageError } from "../../errors.js";
import type { Manifest } from "../../store/index.js";
import type { Executor, RenderHooks } from "../exec/index.js";
import { redact } from "../script/index.js";
import { utf8 } from "../functions/index.js";
import { decideManual } from "./manual.js";
import {
  REASONS,
  readsChanging,
  readsDrifted,
  readsFailed,
  readsSkipped,
  readsValueless,
} from "./reasons.js";
import { decideReplayable, driftPlan } from "./replayable.js";
import { Scheduler } from "./schedule.js";
import { entropyReplaced } from "./situation.js";
import { decideScript } from "./script.js";
import type { Plan, StoredSecret } from "./types.js";

export interface DecideInput {
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
  /** Called each time a secret's decision is made (progress display), with how many are. */
  onDecided?: (decided: number) => void;
  /** Read and decrypt the data file of `name` (whose hash is `stored.get(name).dataHash`). */
  decryptData(name: string): Promise<Uint8Array>;
  /**
   * Run a script secret; `redact()` gives the values known by then (its output never shows
   * them).
   */
  runScript(
    decl: SecretDecl,
    spec: ScriptSpec,
    deps: ReadonlyMap<string, Uint8Array>,
    redact: () => Uint8Array[],
  ): Promise<{ value: Uint8Array; publicFiles: Map<string, Uint8Array> }>;
}

/** Thrown by resolve() when a dependency cannot give a value; the reader takes its state. */
class Blocked extends Error {
  constructor(
    readonly state: "skipped" | "pending" | "stale",
    /** The secret it reads that blocks it. */
    readonly on: string,
    readonly because: string,
    /** What it comes down to, for a skip: a secret that drifted, or one that failed. */
    readonly origin: "drift" | "failure" = "failure",
  ) {
    super(because);
  }
}

/** What the per-kind decisions (replayable.ts, script.ts, manual.ts) use. */
export interface Decider {
  readonly input: DecideInput;
  readonly plans: ReadonlyMap<string, Plan>;
  /** Decide `name`, read by `reader`; throws Blocked when it cannot give a value. */
  resolve(name: string, reader: string): Promise<void>;
  /** The value of a decided secret, or undefined. */
  valueOf(name: string): Uint8Array | undefined;
  /** Every value known so far (scripts must never show them). */
  knownValues(): Uint8Array[];
  readonly hooks: RenderHooks;
  readonly scheduler: Scheduler;
}

class Decision implements Decider {
  readonly plans = new Map<string, Plan>();
  readonly scheduler: Scheduler;
  readonly hooks: RenderHooks = {
    valueOf: (n) => this.valueOf(n),
    resolve: (n, reader) => this.resolve(n, reader),
  };

  constructor(readonly input: DecideInput) {
    this.scheduler = new Scheduler(input.decls.secrets.size, input.scriptSlots);
  }

  valueOf(name: string): Uint8Array | undefined {
    return this.plans.get(name)?.value;
  }

  /** Decide the given secrets (and, on the way, everything they read), concurrently. */
  async run(names: Iterable<string>): Promise<Map<string, Plan>> {
    const results = await Promise.allSettled([...names].map((name) => this.resolve(name)));
    const usage = results.find(
      (r): r is PromiseRejectedResult => r.status === "rejected" && !(r.reason instanceof Blocked),
    );
    if (usage !== undefined) throw usage.reason;
    return this.plans;
  }

  async resolve(name: string, reader?: string): Promise<void> {
    await this.scheduler.wait(name, reader, () => this.settle(this.decl(name, reader)));
    const plan = this.plans.get(name);
    if (plan === undefined) throw new Error(`no plan for ${name}`);
    // Only a reader needs the value: a data file nothing reads is never decrypted.
    if (plan.value !== undefined || reader === undefined) return;
    if (plan.willChange) throw new Blocked("stale", name, readsChanging(name));
    if (plan.state === "pending") throw new Blocked("pending", name, readsValueless(name));
    if (plan.state === "failed" || plan.state === "drift" || plan.state === "skipped") {
      const why =
        plan.state === "skipped"
          ? readsSkipped(name)
          : plan.state === "drift"
            ? readsDrifted(name)
            : readsFailed(name);
      const drifted = plan.state === "drift" || plan.skippedForDrift === true;
      throw new Blocked("skipped", name, why, drifted ? "drift" : "failure");
    }
    // Fresh script or manual secret: its value is in the data file.
    if (this.input.stored.get(name)?.dataHash === undefined)
      throw new Blocked("pending", name, readsValueless(name));
    try {
      plan.value ??= await this.input.decryptData(name);
    } catch (err) {
      if (!(err instanceof SecretgenError)) throw err;
      plan.state = "failed";
      plan.reason = err.message;
      plan.error = err;
      throw new Blocked("skipped", name, readsFailed(name));
    }
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
    const values = this.knownValues();
    for (const v of this.input.values?.values() ?? []) values.push(v);
    const text = Buffer.from(utf8(name));
    if (redact(text, values).equals(text)) return `reads unknown secret ${quote(name)}`;
    return "reads an unknown secret whose name holds a secret's value (so it is not shown)";
  }

  knownValues(): Uint8Array[] {
    return [...this.plans.values()].flatMap((p) => (p.value ? [p.value] : []));
  }

  /** Decide one secret into `plans`; only usage errors escape. */
  private async settle(decl: SecretDecl): Promise<void> {
    let plan: Plan;
    try {
      plan = await this.decideOne(decl);
    } catch (err) {
      if (err instanceof Blocked) {
        plan = { decl, state: err.state, reason: err.because, reads: [err.on] };
        if (err.state === "stale") plan.willChange = true;
        if (err.state === "skipped" && err.origin === "drift") plan.skippedForDrift = true;
      } else if (err instanceof SecretgenError && err.exitCode === ExitCode.runtime) {
        plan = { decl, state: "failed", reason: err.message, error: err, reads: [] };
      } else {
        throw err;
      }
    }
    this.plans.set(decl.name, plan);
    this.input.onDecided?.(this.plans.size);
  }

  private decideOne(decl: SecretDecl): Promise<Plan> {
    const stored = this.input.stored.get(decl.name) ?? {};
    if (stored.record instanceof SecretgenError) throw stored.record;
    // A rotation or `set` replaces the record: the one on disk does not matter then.
    const replacing = this.input.rotate.has(decl.name) || this.input.values?.has(decl.name);
    if (replacing !== true && entropyReplaced(this.input, decl, stored)) {
      const fix =
        decl.generator.kind === "manual"
          ? `store the value again: \`secretgen set ${decl.name}\``
          : `\`secretgen rotate ${decl.name}\` makes a new value`;
      return Promise.resolve(
        driftPlan(
          decl,
          REASONS.entropyReplaced,
          "its entropy file is not the one manifest.json names (changed outside secretgen)",
          `restore secrets/entropy/${decl.name}.age from git (and its data file, if it changed too), or ${fix}`,
        ),
      );
    }
    const spec = decl.generator;
    if (spec.kind === "manual") return decideManual(this, decl, stored);
    if (spec.kind === "script") return decideScript(this, decl, spec, stored);
    return decideReplayable(this, decl, stored);
  }
}

/**
 * The plans of the given secrets and of everything they read, in steps: each call decides more
 * secrets and gives every plan so far; a secret decided by an earlier call is not decided again
 * (no script runs twice). A call throws the first declaration error (unknown names, cycles, bad
 * arguments): nothing may be written then.
 */
export function decideInSteps(
  input: DecideInput,
): (names: Iterable<string>) => Promise<Map<string, Plan>> {
  const decision = new Decision(input);
  return (names) => decision.run(names);
}
