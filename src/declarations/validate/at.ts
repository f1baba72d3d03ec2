/**
 * The type-check helpers of validation: `At` checks one value's shape and reports a problem at
 * `secrets."NAME".FIELD` when it is wrong, so that every validator reads as a list of fields.
 */
import { SecretgenError } from "../../errors.js";
import { sortedNames } from "../names.js";
import type { Problems } from "../problems.js";

export type Obj = Record<string, unknown>;

export function isObject(v: unknown): v is Obj {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** The keys of `o` that are not `known`, sorted; usually none, and then nothing is sorted. */
export function unknownKeys(o: Obj, known: (key: string) => boolean): string[] {
  return sortedNames(Object.keys(o).filter((k) => !known(k)));
}

/** How a value is named in a message: `missing`, `null`, `a list`, `a string`, … */
export function typeName(v: unknown): string {
  if (v === undefined) return "missing";
  return v === null ? "null" : Array.isArray(v) ? "a list" : `a ${typeof v}`;
}

/** Context for checking one secret: reports problems at `secrets."NAME".FIELD`. */
export class At {
  constructor(
    readonly problems: Problems,
    readonly secret: string | undefined,
    /** Put before every field (`generation` for a generator declared in ASG's form). */
    readonly prefix = "",
  ) {}

  /** The same secret, with fields under `prefix`. */
  within(prefix: string): At {
    return new At(this.problems, this.secret, this.path(prefix));
  }

  path(field: string): string {
    if (this.prefix === "") return field;
    return field === "" ? this.prefix : `${this.prefix}.${field}`;
  }

  add(field: string, message: string, hint?: string): void {
    this.problems.add(message, { secret: this.secret, field: this.path(field), hint });
  }

  /** Record an error a checker threw; a field of its own is put under `prefix` too. */
  addError(err: unknown, field: string): void {
    if (this.prefix !== "" && err instanceof SecretgenError && err.field !== undefined) {
      err = new SecretgenError(err.message, {
        exitCode: err.exitCode,
        reason: err.reason,
        secret: err.secret,
        field: this.path(err.field),
        hint: err.hint,
        cause: err,
      });
    }
    this.problems.addError(err, { secret: this.secret, field: this.path(field) });
  }

  object(v: unknown, field: string, allowed: readonly string[]): Obj | undefined {
    if (!isObject(v)) {
      this.add(field, `must be an object, not ${typeName(v)}`);
      return undefined;
    }
    for (const key of unknownKeys(v, (k) => allowed.includes(k))) {
      const expected =
        allowed.length === 0 ? "it takes none" : `expected one of: ${allowed.join(", ")}`;
      this.add(`${field}.${key}`, `unknown field (${expected})`);
    }
    return v;
  }

  /** An object whose keys are names (hosts, secrets): any key is allowed. */
  record(v: unknown, field: string): Obj | undefined {
    if (isObject(v)) return v;
    this.add(field, `must be an object, not ${typeName(v)}`);
    return undefined;
  }

  string(v: unknown, field: string): string | undefined {
    if (typeof v === "string") return v;
    this.add(field, `must be a string, not ${typeName(v)}`);
    return undefined;
  }

  stringList(v: unknown, field: string): string[] | undefined {
    if (!Array.isArray(v)) {
      this.add(field, `must be a list of strings, not ${typeName(v)}`);
      return undefined;
    }
    const out: string[] = [];
    v.forEach((item: unknown, i) => {
      if (typeof item === "string") out.push(item);
      else this.add(`${field}[${i}]`, `must be a string, not ${typeName(item)}`);
    });
    return out.length === v.length ? out : undefined;
  }

  integer(v: unknown, field: string, min: number, max: number): number | undefined {
    if (typeof v === "number" && Number.isInteger(v) && v >= min && v <= max) return v;
    this.add(
      field,
      `must be a whole number from ${min} to ${max}, not ${v === undefined ? "nothing" : JSON.stringify(v)}`,
    );
    return undefined;
  }

  boolean(v: unknown, field: string): boolean | undefined {
    if (typeof v === "boolean") return v;
    this.add(field, `must be true or false, not ${typeName(v)}`);
    return undefined;
  }
}
