/** `random`: every accepted shape and its normal form; every rejected one, with its field. */
import { describe, expect, it } from "vitest";
import {
  DEFAULT_RANDOM_LENGTH,
  MAX_ALPHABET,
  MAX_RANDOM_BYTES,
  MAX_RANDOM_LENGTH,
} from "../../../src/declarations/index.js";
import type { Spelling } from "../../../src/declarations/validate/options.js";
import { validateRandom } from "../../../src/declarations/validate/random.js";
import { at, check } from "./support.js";

const ALL = { lowercase: true, uppercase: true, digits: true, special: true };
const random = (raw: unknown, spelling: Spelling = "native") =>
  check((a) => validateRandom(a, raw, spelling));
const CHARSET_MESSAGE =
  "must be one of alnum, hex, digits, lowercase, base64url, printable, or an attribute set of lowercase, uppercase, digits, special";

describe("random: accepted", () => {
  const table: [string, unknown, Spelling, unknown][] = [
    ["nothing: 32 alnum", {}, "native", { length: 32, charset: "alnum" }],
    [
      "generation form, nothing: 32 of all four classes",
      {},
      "generation",
      { length: 32, charsets: ALL },
    ],
    ["a length", { length: 24 }, "native", { length: 24, charset: "alnum" }],
    ["the shortest", { length: 1 }, "native", { length: 1, charset: "alnum" }],
    ["the longest", { length: MAX_RANDOM_LENGTH }, "native", { length: 4096, charset: "alnum" }],
    ...["alnum", "hex", "digits", "lowercase", "base64url", "printable"].map(
      (charset): [string, unknown, Spelling, unknown] => [
        `preset ${charset}`,
        { charset },
        "native",
        { length: 32, charset },
      ],
    ),
    ["charsets, all on", { charsets: {} }, "native", { length: 32, charsets: ALL }],
    [
      "charsets, one off",
      { length: 8, charsets: { special: false } },
      "native",
      { length: 8, charsets: { ...ALL, special: false } },
    ],
    [
      "charsets, only digits",
      { charsets: { lowercase: false, uppercase: false, special: false, digits: true } },
      "native",
      {
        length: 32,
        charsets: { lowercase: false, uppercase: false, digits: true, special: false },
      },
    ],
    [
      "charset as an attribute set (ASG's spelling of charsets)",
      { charset: { uppercase: false } },
      "generation",
      { length: 32, charsets: { ...ALL, uppercase: false } },
    ],
    ["generation form, a preset", { charset: "hex" }, "generation", { length: 32, charset: "hex" }],
    ["an alphabet", { alphabet: "ab" }, "native", { length: 32, alphabet: "ab" }],
    [
      "an alphabet of code points",
      { length: 3, alphabet: "αβ😀" },
      "native",
      { length: 3, alphabet: "αβ😀" },
    ],
    ["bytes: hex by default", { bytes: 16 }, "native", { bytes: 16, encoding: "hex" }],
    ["bytes, base64", { bytes: 1, encoding: "base64" }, "native", { bytes: 1, encoding: "base64" }],
    [
      "bytes, base64url, the most",
      { bytes: MAX_RANDOM_BYTES, encoding: "base64url" },
      "generation",
      { bytes: 65536, encoding: "base64url" },
    ],
  ];
  it.for(table)("%s", ([, raw, spelling, spec]) => {
    expect(random(raw, spelling)).toEqual({
      value: { kind: "random", ...(spec as object) },
      problems: [],
    });
  });

  it("the default length and the bounds are declarations/limits.ts's", () => {
    expect(DEFAULT_RANDOM_LENGTH).toBe(32);
    expect(random({}).value).toMatchObject({ length: DEFAULT_RANDOM_LENGTH });
    const biggest = Array.from({ length: MAX_ALPHABET }, (_, i) => String.fromCodePoint(0x100 + i));
    expect(random({ alphabet: biggest.join("") }).problems).toEqual([]);
  });
});

describe("random: rejected", () => {
  // [case, raw, problems, what is still returned (the problems fail the declarations anyway)]
  const table: [string, unknown, ReturnType<typeof at>[], unknown?][] = [
    ["not an object", "hex", [at("random", "must be an object, not a string")]],
    ["a list", [], [at("random", "must be an object, not a list")]],
    [
      "an unknown field",
      { length: 8, size: 3 },
      [
        at(
          "random.size",
          "unknown field (expected one of: length, charset, charsets, alphabet, bytes, encoding)",
        ),
      ],
      { kind: "random", length: 8, charset: "alnum" },
    ],
    [
      "length 0",
      { length: 0 },
      [at("random.length", "must be a whole number from 1 to 4096, not 0")],
    ],
    [
      "length too long",
      { length: MAX_RANDOM_LENGTH + 1 },
      [at("random.length", "must be a whole number from 1 to 4096, not 4097")],
    ],
    [
      "length 1.5",
      { length: 1.5 },
      [at("random.length", "must be a whole number from 1 to 4096, not 1.5")],
    ],
    [
      "length a string",
      { length: "8" },
      [at("random.length", 'must be a whole number from 1 to 4096, not "8"')],
    ],
    [
      "length null",
      { length: null },
      [at("random.length", "must be a whole number from 1 to 4096, not null")],
    ],
    [
      "charset and alphabet",
      { charset: "hex", alphabet: "ab" },
      [at("random", "give only one of charset, charsets, alphabet (got charset, alphabet)")],
    ],
    [
      "all three",
      { charset: "hex", charsets: {}, alphabet: "ab" },
      [
        at(
          "random",
          "give only one of charset, charsets, alphabet (got charset, charsets, alphabet)",
        ),
      ],
    ],
    [
      "two, and a bad length: both reported",
      { length: 0, charset: "hex", charsets: {} },
      [
        at("random.length", "must be a whole number from 1 to 4096, not 0"),
        at("random", "give only one of charset, charsets, alphabet (got charset, charsets)"),
      ],
    ],
    ["an unknown preset", { charset: "base32" }, [at("random.charset", CHARSET_MESSAGE)]],
    ["a preset that is a number", { charset: 5 }, [at("random.charset", CHARSET_MESSAGE)]],
    [
      "charsets not an object",
      { charsets: "all" },
      [at("random.charsets", "must be an object, not a string")],
    ],
    [
      "charsets with an unknown class",
      { charsets: { upper: false } },
      [
        at(
          "random.charsets.upper",
          "unknown field (expected one of: lowercase, uppercase, digits, special)",
        ),
      ],
      { kind: "random", length: 32, charsets: ALL },
    ],
    [
      "charsets with a non-boolean",
      { charsets: { digits: "no" } },
      [at("random.charsets.digits", "must be true or false, not a string")],
    ],
    [
      "charsets all off",
      { charsets: { lowercase: false, uppercase: false, digits: false, special: false } },
      [at("random.charsets", "switches every character set off")],
    ],
    [
      "charset as a set, all off",
      { charset: { lowercase: false, uppercase: false, digits: false, special: false } },
      [at("random.charset", "switches every character set off")],
    ],
    [
      "an alphabet that is not a string",
      { alphabet: ["a", "b"] },
      [at("random.alphabet", "must be a string, not a list")],
    ],
    [
      "a one-character alphabet",
      { alphabet: "a" },
      [at("random.alphabet", "must have 2 to 256 characters, not 1")],
    ],
    [
      "an empty alphabet",
      { alphabet: "" },
      [at("random.alphabet", "must have 2 to 256 characters, not 0")],
    ],
    [
      "an alphabet too big",
      {
        alphabet: Array.from({ length: MAX_ALPHABET + 1 }, (_, i) =>
          String.fromCodePoint(0x100 + i),
        ).join(""),
      },
      [at("random.alphabet", "must have 2 to 256 characters, not 257")],
    ],
    [
      "an alphabet that repeats",
      { alphabet: "abca" },
      [at("random.alphabet", "has repeated characters (each must appear once)")],
    ],
    [
      "encoding without bytes",
      { encoding: "hex" },
      [at("random.encoding", "only goes with bytes")],
      { kind: "random", length: 32, charset: "alnum" },
    ],
    [
      "bytes 0",
      { bytes: 0 },
      [at("random.bytes", "must be a whole number from 1 to 65536, not 0")],
    ],
    [
      "bytes too many",
      { bytes: MAX_RANDOM_BYTES + 1 },
      [at("random.bytes", "must be a whole number from 1 to 65536, not 65537")],
    ],
    [
      "bytes a string",
      { bytes: "8" },
      [at("random.bytes", 'must be a whole number from 1 to 65536, not "8"')],
    ],
    [
      "an unknown encoding",
      { bytes: 8, encoding: "base32" },
      [at("random.encoding", "must be one of hex, base64, base64url")],
    ],
    [
      "bytes with bad bytes and a bad encoding: both",
      { bytes: 0, encoding: 1 },
      [
        at("random.bytes", "must be a whole number from 1 to 65536, not 0"),
        at("random.encoding", "must be one of hex, base64, base64url"),
      ],
    ],
  ];
  it.for(table)("%s", ([, raw, problems, value]) => {
    const r = random(raw);
    expect(r.value).toEqual(value);
    expect(r.problems).toEqual(problems);
  });

  it("bytes with character settings: each reported, the bytes spec still read", () => {
    const r = random({ bytes: 8, length: 3, charset: "hex", charsets: {}, alphabet: "ab" });
    expect(r.value).toEqual({ kind: "random", bytes: 8, encoding: "hex" });
    expect(r.problems).toEqual(
      ["length", "charset", "charsets", "alphabet"].map((k) =>
        at(`random.${k}`, "cannot be combined with bytes"),
      ),
    );
  });

  it("in the generation form, fields are under generation", () => {
    const r = check((a) => validateRandom(a.within("generation"), { length: 0 }, "generation"));
    expect(r.problems).toEqual([
      at("generation.random.length", "must be a whole number from 1 to 4096, not 0"),
    ]);
  });
});
