/**
 * Go values as the template engine sees JSON data decoded into `interface{}`: `string`, `bool`,
 * `float64` (every JSON number; a JS number), `int` (template literals, `len`, range indexes; a
 * bigint), `uint8` (a byte of a string, from `index`), `[]interface {}` (arrays) and
 * `map[string]interface {}` (objects), and nil (`null`: Go's nil interface and the invalid
 * value, which behave alike for JSON data).
 */
import { SecretBytes, compareCodePoints } from "../../functions/index.js";

/** A byte of a string (`index "abc" 0` is a uint8 in Go). */
export class GoByte {
  constructor(readonly value: number) {}
}

export type GoMap = { readonly [key: string]: GoValue };
/** Also SecretBytes: a secret's value that is not UTF-8, which only base64 and sha256 take. */
export type GoValue =
  null | string | boolean | number | bigint | GoByte | SecretBytes | GoValue[] | GoMap;

export type Kind =
  "invalid" | "bool" | "int" | "uint" | "float" | "string" | "bytes" | "slice" | "map";

export function kindOf(v: GoValue): Kind {
  if (v === null) return "invalid";
  switch (typeof v) {
    case "string":
      return "string";
    case "boolean":
      return "bool";
    case "number":
      return "float";
    case "bigint":
      return "int";
    default:
      if (v instanceof GoByte) return "uint";
      if (v instanceof SecretBytes) return "bytes";
      return Array.isArray(v) ? "slice" : "map";
  }
}

/** Go's reflect type name of a value. */
export function typeName(v: GoValue): string {
  switch (kindOf(v)) {
    case "invalid":
      return "<nil>";
    case "string":
      return "string";
    case "bool":
      return "bool";
    case "float":
      return "float64";
    case "int":
      return "int";
    case "uint":
      return "uint8";
    case "bytes":
      return "bytes (not UTF-8)";
    case "slice":
      return "[]interface {}";
    case "map":
      return "map[string]interface {}";
  }
}

export function isMap(v: GoValue): v is GoMap {
  return kindOf(v) === "map";
}

/** The keys of a map in Go's sorted order (fmtsort: byte order of UTF-8, i.e. code points). */
export function mapKeys(m: GoMap): string[] {
  return Object.keys(m).sort(compareCodePoints);
}

export function mapGet(m: GoMap, key: string): GoValue | undefined {
  return Object.hasOwn(m, key) ? m[key] : undefined;
}

const encoder = new TextEncoder();

export function utf8Bytes(s: string): Uint8Array {
  return encoder.encode(s);
}

/** Go's len of a string: its UTF-8 bytes. */
export function byteLength(s: string): number {
  return encoder.encode(s).length;
}

/** template.isTrue: the truth of a value; `ok` false for kinds that have none. */
export function isTrue(v: GoValue): boolean {
  switch (kindOf(v)) {
    case "invalid":
      return false;
    case "string":
      return (v as string).length > 0;
    case "bool":
      return v as boolean;
    case "float":
      return (v as number) !== 0;
    case "int":
      return (v as bigint) !== 0n;
    case "uint":
      return (v as GoByte).value !== 0;
    case "bytes":
      return (v as SecretBytes).bytes.length > 0;
    case "slice":
      return (v as GoValue[]).length > 0;
    case "map":
      return Object.keys(v as GoMap).length > 0;
  }
}

/** JSON data as Go values: objects without a prototype (keys are only data). */
export function fromJson(value: unknown): GoValue {
  if (value === null || value === undefined) return null;
  if (typeof value === "string" || typeof value === "boolean" || typeof value === "number")
    return value;
  if (Array.isArray(value)) return (value as unknown[]).map(fromJson);
  if (typeof value === "object") {
    const out = Object.create(null) as Record<string, GoValue>;
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      Object.defineProperty(out, k, {
        value: fromJson(v),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return out;
  }
  return null;
}

/** Go values as plain JSON-like values for secretgen's functions (ints become numbers). */
export function toPlain(v: GoValue): unknown {
  // The declaration-time check's UNKNOWN (functions/dry.ts) passes through as it is.
  if (typeof v === "symbol") return v;
  switch (kindOf(v)) {
    case "int":
      return Number(v);
    case "uint":
      return (v as GoByte).value;
    case "slice":
      return (v as GoValue[]).map(toPlain);
    case "map": {
      const m = v as GoMap;
      const out: Record<string, unknown> = {};
      for (const k of mapKeys(m)) {
        Object.defineProperty(out, k, {
          value: toPlain(m[k] as GoValue),
          enumerable: true,
          writable: true,
          configurable: true,
        });
      }
      return out;
    }
    default:
      return v;
  }
}
