/**
 * Go template functions: the typed signature the evaluator checks arguments against (as Go's
 * reflection does for a Go function), and the builtins of text/template/funcs.go: `and or not
 * len index slice print printf println eq ne lt le gt ge html js urlquery call`.
 */
import { compareCodePoints } from "../../functions/index.js";
import { isPrint } from "./fmt-quote.js";
import { FmtProblem, sprint, sprintf, sprintln } from "./fmt.js";
import {
  GoByte,
  byteLength,
  isTrue,
  kindOf,
  mapGet,
  typeName,
  utf8Bytes,
  type GoMap,
  type GoValue,
} from "./values.js";

/**
 * A parameter's Go type: `string`, `int`, `bool`, `any` (interface{}) or `value` (reflect.Value,
 * what the builtins take: anything, nil included); `bytes` is a string or a secret's value that
 * is not UTF-8 (what base64 and sha256 take).
 */
export type ParamType = "string" | "bytes" | "int" | "bool" | "any" | "value";

/** A function failed: the template stops with "error calling NAME: MESSAGE". */
export class FuncError extends Error {}

export interface GoFunc {
  params: readonly ParamType[];
  /** The element type of a final `...` parameter. */
  variadic?: ParamType;
  /** `pos`: where the call is in the source (for secretgen's messages). */
  call(args: GoValue[], pos: number): GoValue;
}

export type FuncMap = ReadonlyMap<string, GoFunc>;

function fail(message: string): never {
  throw new FuncError(message);
}

function indexArg(index: GoValue, cap: number): number {
  let x: bigint;
  if (typeof index === "bigint") x = index;
  else if (index instanceof GoByte) x = BigInt(index.value);
  else if (index === null) fail("cannot index slice/array with nil");
  else fail(`cannot index slice/array with type ${typeName(index)}`);
  if (x < 0n || x > BigInt(cap)) fail(`index out of range: ${x}`);
  return Number(x);
}

function index(item: GoValue, ...indexes: GoValue[]): GoValue {
  if (item === null) fail("index of untyped nil");
  for (const ix of indexes) {
    if (item === null) fail("index of nil pointer");
    switch (kindOf(item)) {
      case "slice": {
        const list = item as GoValue[];
        const x = indexArg(ix, list.length);
        if (x === list.length) fail(`index out of range: ${x}`);
        item = list[x] ?? null;
        break;
      }
      case "string": {
        const bytes = utf8Bytes(item as string);
        const x = indexArg(ix, bytes.length);
        if (x === bytes.length) fail(`index out of range: ${x}`);
        item = new GoByte(bytes[x] ?? 0);
        break;
      }
      case "map": {
        if (ix === null) fail("value is nil; should be of type string");
        if (typeof ix !== "string") fail(`value has type ${typeName(ix)}; should be string`);
        item = mapGet(item as GoMap, ix) ?? null;
        break;
      }
      default:
        fail(`can't index item of type ${typeName(item)}`);
    }
  }
  return item;
}

const decoder = new TextDecoder("utf-8", { fatal: true });

function slice(item: GoValue, ...indexes: GoValue[]): GoValue {
  if (item === null) fail("slice of untyped nil");
  if (indexes.length > 3) fail(`too many slice indexes: ${indexes.length}`);
  let len: number;
  const kind = kindOf(item);
  if (kind === "string") {
    if (indexes.length === 3) fail("cannot 3-index slice a string");
    len = byteLength(item as string);
  } else if (kind === "slice") len = (item as GoValue[]).length;
  else fail(`can't slice item of type ${typeName(item)}`);
  const idx = [0, len];
  indexes.forEach((ix, i) => (idx[i] = indexArg(ix, len)));
  const [a = 0, b = len] = idx;
  if (a > b) fail(`invalid slice index: ${a} > ${b}`);
  if (indexes.length === 3 && b > (idx[2] ?? 0)) fail(`invalid slice index: ${b} > ${idx[2]}`);
  if (kind === "slice") return (item as GoValue[]).slice(a, b);
  try {
    return decoder.decode(utf8Bytes(item as string).slice(a, b));
  } catch {
    return fail("the slice splits a UTF-8 character (templates are text)");
  }
}

function length(item: GoValue): GoValue {
  switch (kindOf(item)) {
    case "string":
      return BigInt(byteLength(item as string));
    case "slice":
      return BigInt((item as GoValue[]).length);
    case "map":
      return BigInt(Object.keys(item as GoMap).length);
    case "invalid":
      return fail("len of nil pointer");
    default:
      return fail(`len of type ${typeName(item)}`);
  }
}

type BasicKind = "bool" | "int" | "uint" | "float" | "string" | "invalid";

function basicKind(v: GoValue): BasicKind {
  const k = kindOf(v);
  return k === "slice" || k === "map" || k === "bytes" ? "invalid" : k;
}

function asBig(v: GoValue): bigint {
  return v instanceof GoByte ? BigInt(v.value) : (v as bigint);
}

function eq(arg1: GoValue, ...rest: GoValue[]): GoValue {
  if (rest.length === 0) fail("missing argument for comparison");
  const k1 = basicKind(arg1);
  for (const arg of rest) {
    const k2 = basicKind(arg);
    let truth = false;
    if (k1 !== k2) {
      if ((k1 === "int" && k2 === "uint") || (k1 === "uint" && k2 === "int"))
        truth = asBig(arg1) === asBig(arg);
      else if (arg1 !== null && arg !== null) fail("incompatible types for comparison");
    } else if (k1 === "invalid") {
      // nil, lists and maps: nil equals nil; lists and maps cannot be compared.
      const both = [arg1, arg];
      if (arg1 !== null && arg !== null && kindOf(arg1) !== kindOf(arg))
        fail(`non-comparable types`);
      if (both.some((v) => v === null)) truth = arg1 === arg;
      else fail(`non-comparable type ${typeName(arg)}`);
    } else if (k1 === "int" || k1 === "uint") truth = asBig(arg1) === asBig(arg);
    else truth = arg1 === arg;
    if (truth) return true;
  }
  return false;
}

function lt(arg1: GoValue, arg2: GoValue): boolean {
  const k1 = basicKind(arg1);
  if (k1 === "invalid") fail("invalid type for comparison");
  const k2 = basicKind(arg2);
  if (k2 === "invalid") fail("invalid type for comparison");
  if (k1 !== k2) {
    if ((k1 === "int" && k2 === "uint") || (k1 === "uint" && k2 === "int"))
      return asBig(arg1) < asBig(arg2);
    fail("incompatible types for comparison");
  }
  switch (k1) {
    case "bool":
      return fail("invalid type for comparison");
    case "string":
      return compareCodePoints(arg1 as string, arg2 as string) < 0;
    case "float":
      return (arg1 as number) < (arg2 as number);
    default:
      return asBig(arg1) < asBig(arg2);
  }
}

function le(a: GoValue, b: GoValue): boolean {
  return lt(a, b) || (eq(a, b) as boolean);
}

/**
 * evalArgs: one string as it is, anything else as fmt.Sprint (nil as "<no value>"; `strict`: an
 * error instead, as any marker Go would print).
 */
function evalArgs(args: GoValue[], strict = false): string {
  if (args.length === 1 && typeof args[0] === "string") return args[0];
  if (strict && args.includes(null))
    throw new FmtProblem("a value is nil (Go would print <no value>)");
  return sprint(
    args.map((a) => (a === null ? "<no value>" : a)),
    strict,
  );
}

function htmlEscape(s: string): string {
  return s.replace(/[\0"'&<>]/g, (c) =>
    c === "\0"
      ? "\uFFFD"
      : c === '"'
        ? "&#34;"
        : c === "'"
          ? "&#39;"
          : c === "&"
            ? "&amp;"
            : c === "<"
              ? "&lt;"
              : "&gt;",
  );
}

function jsEscape(s: string): string {
  let out = "";
  for (const c of s) {
    const cp = c.codePointAt(0) ?? 0;
    const special: Record<string, string> = {
      "\\": "\\\\",
      "'": "\\'",
      '"': '\\"',
      "<": "\\u003C",
      ">": "\\u003E",
      "&": "\\u0026",
      "=": "\\u003D",
    };
    const sc = Object.hasOwn(special, c) ? special[c] : undefined;
    if (sc !== undefined) out += sc;
    else if (cp < 0x20) out += "\\u00" + cp.toString(16).toUpperCase().padStart(2, "0");
    else if (cp < 0x80 || isPrint(cp)) out += c;
    else out += "\\u" + cp.toString(16).toUpperCase().padStart(4, "0");
  }
  return out;
}

/** url.QueryEscape. */
function queryEscape(s: string): string {
  let out = "";
  for (const b of utf8Bytes(s)) {
    const c = String.fromCharCode(b);
    if (/[A-Za-z0-9\-_.~]/.test(c)) out += c;
    else if (c === " ") out += "+";
    else out += "%" + b.toString(16).toUpperCase().padStart(2, "0");
  }
  return out;
}

const V = "value" as const;

/** The builtins; `and` and `or` are evaluated by the evaluator itself (they short-circuit). */
export const BUILTINS: FuncMap = new Map<string, GoFunc>([
  ["and", { params: [V], variadic: V, call: () => null }],
  ["or", { params: [V], variadic: V, call: () => null }],
  ["not", { params: [V], call: ([a = null]) => !isTrue(a) }],
  ["len", { params: [V], call: ([a = null]) => length(a) }],
  ["index", { params: [V], variadic: V, call: ([a = null, ...r]) => index(a, ...r) }],
  ["slice", { params: [V], variadic: V, call: ([a = null, ...r]) => slice(a, ...r) }],
  ["print", { params: [], variadic: "any", call: (args) => sprint(args) }],
  ["println", { params: [], variadic: "any", call: (args) => sprintln(args) }],
  [
    "printf",
    { params: ["string"], variadic: "any", call: ([f, ...args]) => sprintf(f as string, args) },
  ],
  ["html", { params: [], variadic: "any", call: (args) => htmlEscape(evalArgs(args)) }],
  ["js", { params: [], variadic: "any", call: (args) => jsEscape(evalArgs(args)) }],
  ["urlquery", { params: [], variadic: "any", call: (args) => queryEscape(evalArgs(args)) }],
  ["eq", { params: [V], variadic: V, call: ([a = null, ...r]) => eq(a, ...r) }],
  ["ne", { params: [V, V], call: ([a = null, b = null]) => !(eq(a, b) as boolean) }],
  ["lt", { params: [V, V], call: ([a = null, b = null]) => lt(a, b) }],
  ["le", { params: [V, V], call: ([a = null, b = null]) => le(a, b) }],
  ["gt", { params: [V, V], call: ([a = null, b = null]) => !le(a, b) }],
  ["ge", { params: [V, V], call: ([a = null, b = null]) => !lt(a, b) }],
  [
    "call",
    {
      params: [V],
      variadic: V,
      call: ([fn = null]) =>
        fn === null ? fail("call of nil") : fail(`non-function of type ${typeName(fn)}`),
    },
  ],
]);

/**
 * The builtins as secretgen renders use them: the printing ones (`print`, `printf`, `println`,
 * `html`, `js`, `urlquery`) refuse what Go prints as a marker instead of a value (`<nil>`,
 * `<no value>`, `%!d(string=…)`, `%!s(MISSING)`, `%!(EXTRA …)`), so no secret holds one.
 */
export const STRICT_BUILTINS: FuncMap = new Map<string, GoFunc>([
  ...BUILTINS,
  ["print", { params: [], variadic: "any", call: (args) => sprint(args, true) }],
  ["println", { params: [], variadic: "any", call: (args) => sprintln(args, true) }],
  [
    "printf",
    {
      params: ["string"],
      variadic: "any",
      call: ([f, ...args]) => sprintf(f as string, args, true),
    },
  ],
  ["html", { params: [], variadic: "any", call: (args) => htmlEscape(evalArgs(args, true)) }],
  ["js", { params: [], variadic: "any", call: (args) => jsEscape(evalArgs(args, true)) }],
  ["urlquery", { params: [], variadic: "any", call: (args) => queryEscape(evalArgs(args, true)) }],
]);
