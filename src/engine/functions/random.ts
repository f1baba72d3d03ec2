/**
 * `random [LENGTH] charset=… | charsets=… | alphabet=…` or `random bytes=N encoding=…`: the
 * `random` generator as a function, drawing from the secret's stream exactly as the generator
 * does (docs/formats.md, "random").
 */
import {
  BYTES_ENCODINGS,
  DEFAULT_RANDOM_LENGTH,
  MAX_ALPHABET,
  MAX_RANDOM_BYTES,
  MAX_RANDOM_LENGTH,
  MIN_ALPHABET,
  type BytesEncoding,
  type CharsetPreset,
  type RandomSpec,
} from "../../declarations/index.js";
import { CHARSET_CLASSES, PRESET_ALPHABETS, randomValue } from "../random.js";
import { known as notUnknown, type Call, type FunctionDef } from "./call.js";
import { sortedKeys, typeName } from "./values.js";

const ENCODINGS: readonly BytesEncoding[] = BYTES_ENCODINGS;

function isPreset(v: string): v is CharsetPreset {
  return Object.hasOwn(PRESET_ALPHABETS, v);
}

function isEncoding(v: string): v is BytesEncoding {
  return (ENCODINGS as readonly string[]).includes(v);
}

function bytesSpec(call: Call, bytes: number): RandomSpec {
  if (call.args.length > 0) call.fail("takes no LENGTH argument with option bytes", 0);
  for (const key of ["charset", "charsets", "alphabet"]) {
    if (call.opts[key] !== undefined) call.fail(`option ${key} cannot be combined with bytes`, key);
  }
  const encoding = call.stringOption("encoding") ?? "hex";
  if (!isEncoding(encoding))
    call.fail(`option encoding must be one of ${ENCODINGS.join(", ")}`, "encoding");
  return { kind: "random", bytes, encoding };
}

function charsetsSpec(call: Call, length: number, raw: Record<string, unknown>): RandomSpec {
  const charsets = { lowercase: true, uppercase: true, digits: true, special: true };
  const known = CHARSET_CLASSES.map(([cls]) => cls);
  for (const key of sortedKeys(raw)) {
    const v = notUnknown(raw[key]);
    const cls = known.find((c) => c === key);
    if (cls === undefined)
      call.fail(`option charsets has unknown key ${JSON.stringify(key)}`, "charsets");
    if (typeof v !== "boolean")
      call.fail(`option charsets.${key} must be true or false, not ${typeName(v)}`, "charsets");
    charsets[cls] = v;
  }
  if (!known.some((c) => charsets[c]))
    call.fail("option charsets switches every character set off", "charsets");
  return { kind: "random", length, charsets };
}

function characterSpec(call: Call): RandomSpec {
  if (call.opts.encoding !== undefined)
    call.fail("option encoding only goes with bytes", "encoding");
  const length = call.integer(0, 1, MAX_RANDOM_LENGTH, DEFAULT_RANDOM_LENGTH);
  const given = ["charset", "charsets", "alphabet"].filter((k) => call.opts[k] !== undefined);
  if (given.length > 1)
    call.fail(`give only one of charset, charsets, alphabet (got ${given.join(", ")})`);
  const alphabet = call.stringOption("alphabet");
  if (alphabet !== undefined) {
    const chars = Array.from(alphabet);
    if (chars.length < MIN_ALPHABET || chars.length > MAX_ALPHABET) {
      const bounds = `${MIN_ALPHABET} to ${MAX_ALPHABET}`;
      call.fail(`option alphabet must have ${bounds} characters, not ${chars.length}`, "alphabet");
    }
    if (new Set(chars).size !== chars.length)
      call.fail("option alphabet repeats a character", "alphabet");
    return { kind: "random", length, alphabet };
  }
  const charsets = call.recordOption("charsets");
  if (charsets !== undefined) return charsetsSpec(call, length, charsets);
  const charset = call.stringOption("charset") ?? "alnum";
  if (!isPreset(charset)) {
    call.fail(
      `option charset must be one of ${Object.keys(PRESET_ALPHABETS).join(", ")}`,
      "charset",
    );
  }
  return { kind: "random", length, charset };
}

export const random: FunctionDef = {
  name: "random",
  aliases: [],
  params: ["LENGTH?"],
  draws: true,
  run(call) {
    call.positional().options("alphabet", "bytes", "charset", "charsets", "encoding");
    const bytes = call.integerOption("bytes", 1, MAX_RANDOM_BYTES);
    const spec = bytes === undefined ? characterSpec(call) : bytesSpec(call, bytes);
    return randomValue(call.ctx.entropy, spec);
  },
};
