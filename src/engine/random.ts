/**
 * Random characters and random bytes drawn from an entropy stream. The mappings here are a
 * permanent file format (docs/formats.md, "random"): the same recorded bytes must give the same
 * output forever.
 */
import {
  MAX_ALPHABET,
  MIN_ALPHABET,
  type BytesEncoding,
  type CharsetPreset,
  type RandomSpec,
} from "../declarations/index.js";
import { usageError } from "../errors.js";
import type { EntropyStream } from "./entropy.js";

const UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
const LOWER = "abcdefghijklmnopqrstuvwxyz";
const DIGITS = "0123456789";
/** The 32 ASCII punctuation characters, in ASCII order. */
const SPECIAL = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";
/** ASCII 0x21–0x7E in code order. */
const PRINTABLE = Array.from({ length: 0x7e - 0x21 + 1 }, (_, i) =>
  String.fromCharCode(0x21 + i),
).join("");

/** The alphabet of each `charset` preset, in the exact order that maps bytes to characters. */
export const PRESET_ALPHABETS: Readonly<Record<CharsetPreset, string>> = {
  alnum: UPPER + LOWER + DIGITS,
  hex: "0123456789abcdef",
  digits: DIGITS,
  lowercase: LOWER,
  base64url: UPPER + LOWER + DIGITS + "-_",
  printable: PRINTABLE,
};

/**
 * The ASG-style `charsets` classes, in the order their characters are concatenated (so that
 * `{ special: false }` gives exactly the `alnum` alphabet).
 */
export const CHARSET_CLASSES = [
  ["uppercase", UPPER],
  ["lowercase", LOWER],
  ["digits", DIGITS],
  ["special", SPECIAL],
] as const;

/** A `random` spec that draws characters (not raw bytes). */
export type CharacterSpec = Exclude<RandomSpec, { bytes: number }>;

/**
 * The alphabet of a character spec, one entry per character (Unicode code point), in mapping
 * order. Throws a usage error (exit 2) for an alphabet the validator should have refused: no
 * charsets class switched on, or a literal alphabet that is not 2–256 distinct characters.
 */
export function alphabetOf(spec: CharacterSpec): readonly string[] {
  let chars: string[];
  if ("charset" in spec) {
    // The presets are checked once per process: most secrets use one of them.
    let preset = PRESET_CHARS.get(spec.charset);
    if (preset === undefined) {
      preset = Array.from(PRESET_ALPHABETS[spec.charset]);
      checkAlphabet(preset);
      PRESET_CHARS.set(spec.charset, preset);
    }
    return preset;
  } else if ("charsets" in spec) {
    chars = CHARSET_CLASSES.filter(([cls]) => spec.charsets[cls]).flatMap(([, s]) => Array.from(s));
    if (chars.length === 0) {
      throw usageError("switches every character set off", { field: "random.charsets" });
    }
  } else {
    chars = Array.from(spec.alphabet);
  }
  checkAlphabet(chars);
  return chars;
}

/** Preset alphabets as characters, made and checked once. */
const PRESET_CHARS = new Map<string, readonly string[]>();
/** Character lists already checked (never mutated afterwards), so a render checks each once. */
const CHECKED = new WeakSet<readonly string[]>();

function checkAlphabet(chars: readonly string[]): void {
  if (CHECKED.has(chars)) return;
  if (chars.length < MIN_ALPHABET || chars.length > MAX_ALPHABET) {
    const bounds = `${MIN_ALPHABET} to ${MAX_ALPHABET}`;
    throw usageError(`an alphabet must have ${bounds} characters, not ${chars.length}`, {
      field: "random.alphabet",
    });
  }
  if (new Set(chars).size !== chars.length) {
    throw usageError("an alphabet must not repeat a character", { field: "random.alphabet" });
  }
  CHECKED.add(chars);
}

/**
 * `length` characters from `alphabet` (n = its number of characters, 2–256). One byte is drawn
 * per step; a byte b gives `alphabet[b mod n]` when `b < 256 - (256 mod n)` and is otherwise
 * skipped (it stays in the stream, consumed). Throws EntropyExhausted when a replay runs dry.
 */
export function randomString(
  stream: EntropyStream,
  length: number,
  alphabet: string | readonly string[],
): string {
  const chars = typeof alphabet === "string" ? Array.from(alphabet) : alphabet;
  checkAlphabet(chars);
  if (!Number.isSafeInteger(length) || length < 0) throw new RangeError(`bad length ${length}`);
  const n = chars.length;
  const limit = 256 - (256 % n);
  let out = "";
  for (let produced = 0; produced < length;) {
    const b = stream.byte();
    if (b >= limit) continue;
    out += chars[b % n] ?? "";
    produced++;
  }
  return out;
}

/**
 * `n` bytes drawn in one piece, encoded: `hex` lowercase; `base64` RFC 4648 §4 with `=`
 * padding; `base64url` RFC 4648 §5 without padding.
 */
export function randomBytesEncoded(
  stream: EntropyStream,
  n: number,
  encoding: BytesEncoding,
): string {
  return Buffer.from(stream.draw(n)).toString(encoding);
}

/** The text a `random` spec draws from `stream` (the generator and the function share it). */
export function randomValue(stream: EntropyStream, spec: RandomSpec): string {
  if ("bytes" in spec) return randomBytesEncoded(stream, spec.bytes, spec.encoding);
  return randomString(stream, spec.length, alphabetOf(spec));
}
