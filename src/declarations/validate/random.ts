/** `random`: characters from a preset, from classes or from an alphabet; or raw bytes. */
import {
  DEFAULT_RANDOM_LENGTH,
  MAX_ALPHABET,
  MAX_RANDOM_BYTES,
  MAX_RANDOM_LENGTH,
  MIN_ALPHABET,
} from "../limits.js";
import {
  BYTES_ENCODINGS,
  CHARSET_PRESETS,
  type BytesEncoding,
  type CharsetPreset,
  type RandomSpec,
} from "../types.js";
import { isObject, type At } from "./at.js";
import type { Spelling } from "./options.js";

const CHARSETS: readonly string[] = CHARSET_PRESETS;
const ENCODINGS: readonly string[] = BYTES_ENCODINGS;
const CHARSET_KEYS = ["lowercase", "uppercase", "digits", "special"] as const;

/** `charsets` (or `charset` given as an attribute set): classes, omitted ones on. */
function charsetFlags(at: At, raw: unknown, field: string): RandomSpec | "bad" {
  const c = at.object(raw, field, CHARSET_KEYS);
  if (!c) return "bad";
  const flags = { lowercase: true, uppercase: true, digits: true, special: true };
  for (const k of CHARSET_KEYS) {
    if (c[k] === undefined) continue;
    const b = at.boolean(c[k], `${field}.${k}`);
    if (b === undefined) return "bad";
    flags[k] = b;
  }
  if (!CHARSET_KEYS.some((k) => flags[k])) {
    at.add(field, "switches every character set off");
    return "bad";
  }
  return { kind: "random", length: 0, charsets: flags };
}

function bytesSpec(at: At, o: Record<string, unknown>, f: string): RandomSpec | undefined {
  for (const k of ["length", "charset", "charsets", "alphabet"]) {
    if (o[k] !== undefined) at.add(`${f}.${k}`, "cannot be combined with bytes");
  }
  const bytes = at.integer(o.bytes, `${f}.bytes`, 1, MAX_RANDOM_BYTES);
  const encoding = o.encoding ?? "hex";
  if (typeof encoding !== "string" || !ENCODINGS.includes(encoding)) {
    at.add(`${f}.encoding`, `must be one of ${ENCODINGS.join(", ")}`);
    return undefined;
  }
  return bytes === undefined
    ? undefined
    : { kind: "random", bytes, encoding: encoding as BytesEncoding };
}

function alphabetSpec(at: At, raw: unknown, f: string, length: number): RandomSpec | undefined {
  const alphabet = at.string(raw, `${f}.alphabet`);
  if (alphabet === undefined) return undefined;
  const chars = Array.from(alphabet);
  if (chars.length < MIN_ALPHABET || chars.length > MAX_ALPHABET) {
    const bounds = `${MIN_ALPHABET} to ${MAX_ALPHABET}`;
    at.add(`${f}.alphabet`, `must have ${bounds} characters, not ${chars.length}`);
    return undefined;
  }
  if (new Set(chars).size !== chars.length) {
    at.add(`${f}.alphabet`, "has repeated characters (each must appear once)");
    return undefined;
  }
  return { kind: "random", length, alphabet };
}

/** The `random` generator at `random` (under `at`'s prefix), or undefined (reported). */
export function validateRandom(at: At, raw: unknown, spelling: Spelling): RandomSpec | undefined {
  const f = "random";
  const o = at.object(raw, f, ["length", "charset", "charsets", "alphabet", "bytes", "encoding"]);
  if (!o) return undefined;
  if (o.bytes !== undefined) return bytesSpec(at, o, f);
  if (o.encoding !== undefined) at.add(`${f}.encoding`, "only goes with bytes");
  const length =
    o.length === undefined
      ? DEFAULT_RANDOM_LENGTH
      : at.integer(o.length, `${f}.length`, 1, MAX_RANDOM_LENGTH);
  const given = ["charset", "charsets", "alphabet"].filter((k) => o[k] !== undefined);
  if (given.length > 1) {
    at.add(f, `give only one of charset, charsets, alphabet (got ${given.join(", ")})`);
    return undefined;
  }
  if (length === undefined) return undefined;
  if (o.alphabet !== undefined) return alphabetSpec(at, o.alphabet, f, length);
  // ASG's `charset = { special = false; }` is `charsets`; so is the generation form's default.
  const classes =
    o.charsets !== undefined
      ? { raw: o.charsets, field: `${f}.charsets` }
      : isObject(o.charset)
        ? { raw: o.charset, field: `${f}.charset` }
        : o.charset === undefined && spelling === "generation"
          ? { raw: {}, field: f }
          : undefined;
  if (classes !== undefined) {
    const spec = charsetFlags(at, classes.raw, classes.field);
    return spec === "bad" || !("charsets" in spec) ? undefined : { ...spec, length };
  }
  const charset = o.charset ?? "alnum";
  if (typeof charset !== "string" || !CHARSETS.includes(charset)) {
    at.add(
      `${f}.charset`,
      `must be one of ${CHARSETS.join(", ")}, or an attribute set of lowercase, uppercase, digits, special`,
    );
    return undefined;
  }
  return { kind: "random", length, charset: charset as CharsetPreset };
}
