/**
 * The entropy record of a secret: the plaintext of secrets/entropy/NAME.age (admins only).
 * Versioned JSON: the recorded bytes, the SHA-256 of the output they render, the bcrypt memo,
 * and the digests of the dependency values the output was made from. Parsing is strict and
 * never quotes the (secret) text it failed on.
 */
import stableStringify from "fast-json-stable-stringify";
import { RENDERER_VERSION } from "./renderer-version.js";
import { runtimeError } from "../errors.js";
import { GENERATOR_KINDS, type GeneratorKind } from "../declarations/index.js";

export const RECORD_FORMAT = "secretgen-entropy";
export const RECORD_VERSION = 1;

export interface EntropyRecord {
  /** Renderer version that produced `output` from `entropy` (see docs/formats.md). */
  renderer: number;
  generator: GeneratorKind;
  /** Declaration hash when the record was made (or adopted). */
  declarationHash: string;
  /** Recorded bytes, in draw order (empty for script, manual and pinned records). */
  entropy: Uint8Array;
  /** SHA-256 (hex) of the secret's value. */
  output: string;
  /** Memoised results (bcrypt), keyed by a hash of function, inputs and salt. */
  memo: Record<string, string>;
  /** SHA-256 (hex) of each dependency's value when the output was made. */
  dependencies: Record<string, string>;
  /** Made by `adopt`: the value stays until its declaration changes or `rotate`. */
  pinned: boolean;
}

export function serializeRecord(r: EntropyRecord): Uint8Array {
  const doc = {
    format: RECORD_FORMAT,
    version: RECORD_VERSION,
    renderer: r.renderer,
    generator: r.generator,
    declarationHash: r.declarationHash,
    entropy: Buffer.from(r.entropy).toString("base64"),
    output: r.output,
    memo: r.memo,
    dependencies: r.dependencies,
    pinned: r.pinned,
  };
  return new TextEncoder().encode(stableStringify(doc) + "\n");
}

const HEX64 = /^[0-9a-f]{64}$/;
/** One strict decoder for every record (a decoder without `stream` keeps no state). */
const STRICT_UTF8 = new TextDecoder("utf-8", { fatal: true });

function isStringMap(v: unknown): v is Record<string, string> {
  return (
    typeof v === "object" &&
    v !== null &&
    !Array.isArray(v) &&
    Object.values(v).every((x) => typeof x === "string")
  );
}

/** Parse a decrypted record. Errors (exit 3) name the secret, never the content. */
export function parseRecord(bytes: Uint8Array, secret: string): EntropyRecord {
  const bad = (what: string) =>
    runtimeError(`entropy record is corrupt (${what})`, {
      reason: "store",
      secret,
      hint: "restore secrets/entropy from git, or `rotate` the secret",
    });
  let doc: unknown;
  try {
    doc = JSON.parse(STRICT_UTF8.decode(bytes));
  } catch {
    throw bad("not JSON");
  }
  if (typeof doc !== "object" || doc === null) throw bad("not an object");
  const d = doc as Record<string, unknown>;
  if (d.format !== RECORD_FORMAT) throw bad("unknown format tag");
  if (typeof d.version !== "number" || typeof d.renderer !== "number") throw bad("no version");
  if (d.version > RECORD_VERSION || d.renderer > RENDERER_VERSION) {
    throw runtimeError(
      `entropy record was written by a newer secretgen (format ${d.version}, renderer ${d.renderer})`,
      { secret, hint: "upgrade secretgen" },
    );
  }
  if (d.version < 1 || d.renderer < 1) throw bad("bad version");
  if (
    typeof d.generator !== "string" ||
    !(GENERATOR_KINDS as readonly string[]).includes(d.generator)
  ) {
    throw bad("unknown generator");
  }
  if (typeof d.declarationHash !== "string" || !HEX64.test(d.declarationHash))
    throw bad("declarationHash");
  if (typeof d.entropy !== "string" || !/^[A-Za-z0-9+/]*={0,2}$/.test(d.entropy))
    throw bad("entropy");
  if (typeof d.output !== "string" || !HEX64.test(d.output)) throw bad("output");
  if (!isStringMap(d.memo)) throw bad("memo");
  if (!isStringMap(d.dependencies)) throw bad("dependencies");
  if (typeof d.pinned !== "boolean") throw bad("pinned");
  return {
    renderer: d.renderer,
    generator: d.generator as GeneratorKind,
    declarationHash: d.declarationHash,
    entropy: new Uint8Array(Buffer.from(d.entropy, "base64")),
    output: d.output,
    memo: d.memo,
    dependencies: d.dependencies,
    pinned: d.pinned,
  };
}
