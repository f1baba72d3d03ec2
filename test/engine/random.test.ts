import { describe, expect, it } from "vitest";
import type { RandomSpec } from "../../src/declarations/types.js";
import { EntropyExhausted, EntropyStream } from "../../src/engine/entropy.js";
import { render } from "../../src/engine/render/generators/random.js";
import {
  PRESET_ALPHABETS,
  alphabetOf,
  randomBytesEncoded,
  randomString,
} from "../../src/engine/random.js";
import { SecretgenError } from "../../src/errors.js";
import { hex, makeCtx, text } from "./support.js";

const replay = (bytes: readonly number[] | Uint8Array) => new EntropyStream(Uint8Array.from(bytes));

describe("alphabets (permanent orders)", () => {
  it.for([
    ["alnum", "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"],
    ["hex", "0123456789abcdef"],
    ["digits", "0123456789"],
    ["lowercase", "abcdefghijklmnopqrstuvwxyz"],
    ["base64url", "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"],
    [
      "printable",
      "!\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~",
    ],
  ] as const)("charset %s", ([charset, expected]) => {
    expect(alphabetOf({ kind: "random", length: 1, charset }).join("")).toBe(expected);
    expect(PRESET_ALPHABETS[charset]).toBe(expected);
  });

  it.for([
    [
      { lowercase: true, uppercase: true, digits: true, special: true },
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~",
    ],
    [
      { lowercase: true, uppercase: true, digits: true, special: false },
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789",
    ],
    [
      { lowercase: true, uppercase: false, digits: true, special: true },
      "abcdefghijklmnopqrstuvwxyz0123456789!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~",
    ],
    [
      { lowercase: false, uppercase: false, digits: false, special: true },
      "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~",
    ],
  ] as const)("charsets %j", ([charsets, expected]) => {
    expect(alphabetOf({ kind: "random", length: 1, charsets }).join("")).toBe(expected);
  });

  it("splits a literal alphabet into code points", () => {
    expect(alphabetOf({ kind: "random", length: 1, alphabet: "x😀é" })).toEqual(["x", "😀", "é"]);
  });

  it.for([
    [
      {
        kind: "random",
        length: 1,
        charsets: { lowercase: false, uppercase: false, digits: false, special: false },
      },
      /every character set off/,
    ],
    [{ kind: "random", length: 1, alphabet: "a" }, /2 to 256 characters, not 1/],
    [{ kind: "random", length: 1, alphabet: "abca" }, /repeat/],
  ] as const)("refuses a bad alphabet cleanly: %j", ([spec, message]) => {
    let err: unknown;
    try {
      alphabetOf(spec);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(SecretgenError);
    expect((err as SecretgenError).exitCode).toBe(2);
    expect((err as SecretgenError).message).toMatch(message);
  });
});

describe("randomString known answers (fixed bytes → exact output)", () => {
  // Expected strings worked out by hand from the rule (b < 256 - 256 mod n ? alphabet[b mod n] :
  // skip) and cross-checked with an independent Python implementation.
  it.for([
    // n = 62, limit 248: 62→A, 247→9 (247-186), 248 and 255 skipped, 100→m (100-62=38)
    ["alnum", [0, 25, 26, 51, 52, 61, 62, 247, 248, 255, 100], 9, "AZaz09A9m"],
    // n = 16, limit 256: nothing skipped
    ["hex", [0x00, 0x0f, 0x10, 0xff, 0xab], 5, "0f0fb"],
    // n = 10, limit 250: 250 and 255 skipped
    ["digits", [9, 10, 249, 250, 255, 123], 4, "9093"],
    // n = 26, limit 234: 233→z (233-208), 234 skipped
    ["lowercase", [0, 25, 233, 234, 26], 4, "azza"],
    // n = 64, limit 256
    ["base64url", [62, 63, 0, 255], 4, "-_A_"],
    // n = 94, limit 188: 187→~ (187-94=93), 188 skipped
    ["printable", [0, 93, 187, 188, 94], 4, "!~~!"],
  ] as const)("%s %j", ([charset, bytes, length, expected]) => {
    const stream = replay(bytes);
    expect(randomString(stream, length, PRESET_ALPHABETS[charset])).toBe(expected);
    expect(stream.position).toBe(bytes.length); // skipped bytes are consumed
  });

  it("charsets without uppercase: n = 68, limit 204", () => {
    const spec: RandomSpec = {
      kind: "random",
      length: 6,
      charsets: { lowercase: true, uppercase: false, digits: true, special: true },
    };
    const ctx = makeCtx({ bytes: [0, 26, 36, 67, 203, 204, 68] });
    expect(text(render(spec, ctx).value)).toBe("a0!~~a");
  });

  it("literal alphabets of non-ASCII characters (n = 3, limit 255; n = 2)", () => {
    const greek = render(
      { kind: "random", length: 4, alphabet: "αβγ" },
      makeCtx({ bytes: [0, 1, 2, 255, 254] }),
    );
    expect(text(greek.value)).toBe("αβγγ");
    expect(Buffer.from(greek.value).toString("hex")).toBe("ceb1ceb2ceb3ceb3");
    const emoji = render(
      { kind: "random", length: 2, alphabet: "😀x" },
      makeCtx({ bytes: [1, 0] }),
    );
    expect(text(emoji.value)).toBe("x😀");
  });

  it("a 256-character alphabet uses every byte", () => {
    const alphabet = Array.from({ length: 256 }, (_, i) => String.fromCodePoint(0x100 + i)).join(
      "",
    );
    expect(randomString(replay([255, 0]), 2, alphabet)).toBe("\u01ff\u0100");
  });

  it("the generator renders UTF-8 with no trailing newline", () => {
    const out = render(
      { kind: "random", length: 3, charset: "digits" },
      makeCtx({ bytes: [1, 2, 3] }),
    );
    expect(out).toEqual({ value: new TextEncoder().encode("123") });
  });
});

describe("random bytes known answers", () => {
  it.for([
    ["deadbeeffbff", "hex", "deadbeeffbff"],
    ["deadbeeffbff", "base64", "3q2+7/v/"],
    ["deadbeeffbff", "base64url", "3q2-7_v_"],
    ["deadbeef", "base64", "3q2+7w=="],
    ["deadbeef", "base64url", "3q2-7w"],
  ] as const)("%s as %s", ([bytes, encoding, expected]) => {
    const ctx = makeCtx({ bytes: hex(bytes) });
    const spec: RandomSpec = { kind: "random", bytes: bytes.length / 2, encoding };
    expect(text(render(spec, ctx).value)).toBe(expected);
    expect(randomBytesEncoded(replay(hex(bytes)), bytes.length / 2, encoding)).toBe(expected);
  });
});

describe("exhaustion", () => {
  it("a replay with too few bytes throws EntropyExhausted", () => {
    expect(() => randomString(replay([1, 2]), 3, "0123456789")).toThrow(EntropyExhausted);
    // skipped bytes count: 250 and 255 are consumed but give nothing
    expect(() => randomString(replay([1, 250, 255]), 2, "0123456789")).toThrow(EntropyExhausted);
    expect(() =>
      render({ kind: "random", bytes: 5, encoding: "hex" }, makeCtx({ bytes: [1, 2, 3, 4] })),
    ).toThrow(EntropyExhausted);
  });

  it("draws only what it needs", () => {
    const stream = replay([1, 2, 3, 4, 5]);
    randomString(stream, 2, "0123456789");
    expect(stream.position).toBe(2);
  });
});
