/**
 * One call of a secretgen function (from a template helper or a JSON marker) and the checks of
 * its arguments. A failed check throws ArgumentProblem, which `callFunction` turns into a usage
 * error carrying the secret, the field and the call's location. Problems describe a value by its
 * type, never by its content (it may be a secret); only numbers are shown.
 */
import type { RenderContext } from "../context.js";
import { SecretBytes, isRecord, sortedKeys, textOnly, typeName, utf8 } from "./values.js";

/**
 * An argument not known before rendering (a data field, a secret's value, a variable): the
 * declaration-time check (dry.ts) calls a function with it in place of each one.
 */
export const UNKNOWN: unique symbol = Symbol("unknown argument");

/**
 * Thrown by a dry call when it reaches what only a render knows (an UNKNOWN argument, the
 * entropy stream, another secret's value): the arguments checked so far were fine.
 */
export class DryStop extends Error {
  constructor() {
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    super("known only when rendering");
    Error.stackTraceLimit = limit;
    this.name = "DryStop";
  }
}

/** Stops a dry call at an UNKNOWN value. */
export function known<T>(v: T | typeof UNKNOWN): T {
  if (v === UNKNOWN) throw new DryStop();
  return v;
}

/** A bad argument; `arg` is the 0-based argument index or the option name it concerns. */
export class ArgumentProblem extends Error {
  constructor(
    message: string,
    readonly arg?: number | string,
  ) {
    super(message);
    this.name = "ArgumentProblem";
  }
}

/** A secretgen function: what templates call as a helper and JSON markers by name. */
export interface FunctionDef {
  /** The canonical name. */
  readonly name: string;
  /** Other accepted names (ASG's). */
  readonly aliases: readonly string[];
  /** Positional arguments, for messages: `["VALUE", "COST?"]`; `...` marks a rest argument. */
  readonly params: readonly string[];
  /** Whether a call draws from the secret's entropy stream. */
  readonly draws: boolean;
  /** Runs the call. Throws ArgumentProblem for bad arguments; lets NeedSecret through. */
  run(call: Call): unknown;
}

export class Call {
  constructor(
    /** The name the function was called by (canonical or alias). */
    readonly name: string,
    readonly def: FunctionDef,
    readonly ctx: RenderContext,
    readonly args: readonly unknown[],
    readonly opts: Readonly<Record<string, unknown>>,
  ) {}

  fail(message: string, arg?: number | string): never {
    throw new ArgumentProblem(message, arg);
  }

  /** Checks the argument count against `def.params` and that no option is given. */
  positional(): this {
    const { params } = this.def;
    const rest = params.at(-1)?.endsWith("...") === true;
    const min = params.filter((p) => !p.endsWith("?") && !p.endsWith("...")).length;
    const max = rest ? Infinity : params.length;
    const n = this.args.length;
    if (n < min || n > max) {
      const want =
        min === max ? `${min}` : max === Infinity ? `at least ${min}` : `${min} to ${max}`;
      const usage = params.length === 0 ? "none" : params.join(" ");
      this.fail(`takes ${want} argument${max === 1 ? "" : "s"} (${usage}), got ${n}`);
    }
    return this;
  }

  /** Refuses options other than `allowed`. */
  options(...allowed: string[]): this {
    for (const key of sortedKeys(this.opts)) {
      if (!allowed.includes(key)) {
        const known = allowed.length === 0 ? "it takes none" : `known: ${allowed.join(", ")}`;
        this.fail(`unknown option ${JSON.stringify(key)} (${known})`, key);
      }
    }
    return this;
  }

  /** "argument 2 (COST)" */
  label(i: number): string {
    const param = this.def.params[Math.min(i, this.def.params.length - 1)] ?? "";
    return `argument ${i + 1} (${param.replace(/[?.]+$/, "")})`;
  }

  string(i: number): string {
    const v = textOnly(known(this.args[i]), this.label(i));
    if (typeof v !== "string")
      this.fail(`${this.label(i)} must be a string, not ${typeName(v)}`, i);
    return v;
  }

  /** The bytes of a string (UTF-8) or of a secret that is not text (SecretBytes). */
  bytes(i: number): Uint8Array {
    const v = known(this.args[i]);
    if (v instanceof SecretBytes) return v.bytes;
    if (typeof v !== "string")
      this.fail(`${this.label(i)} must be a string, not ${typeName(v)}`, i);
    return utf8(v);
  }

  /** A whole number from min to max; `fallback` when the argument is absent. */
  integer(i: number, min: number, max: number, fallback?: number): number {
    const v = known(i < this.args.length ? this.args[i] : fallback);
    return this.checkInteger(v, this.label(i), min, max, i);
  }

  /** A whole number option from min to max, or undefined when absent. */
  integerOption(key: string, min: number, max: number): number | undefined {
    const v = known(this.opts[key]);
    return v === undefined ? undefined : this.checkInteger(v, `option ${key}`, min, max, key);
  }

  stringOption(key: string): string | undefined {
    const v = textOnly(known(this.opts[key]), `option ${key}`);
    if (v !== undefined && typeof v !== "string") {
      this.fail(`option ${key} must be a string, not ${typeName(v)}`, key);
    }
    return v;
  }

  recordOption(key: string): Record<string, unknown> | undefined {
    const v = known(this.opts[key]);
    if (v !== undefined && !isRecord(v))
      this.fail(`option ${key} must be an object, not ${typeName(v)}`, key);
    return v;
  }

  private checkInteger(
    v: unknown,
    what: string,
    min: number,
    max: number,
    arg: number | string,
  ): number {
    if (typeof v === "number" && Number.isInteger(v) && v >= min && v <= max) return v;
    const shown = typeof v === "number" ? String(v) : typeName(v);
    this.fail(`${what} must be a whole number from ${min} to ${max}, not ${shown}`, arg);
  }
}
