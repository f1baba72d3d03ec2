import { describe, expect, it } from "vitest";
import { NeedSecret } from "../../src/engine/context.js";
import { EntropyExhausted } from "../../src/engine/entropy.js";
import { FUNCTIONS, FUNCTION_NAMES, callFunction } from "../../src/engine/functions/index.js";
import { isKnownFunction } from "../../src/declarations/function-names.js";
import { compareCodePoints } from "../../src/engine/functions/values.js";
import { makeCtx } from "./support.js";
import { failure } from "../helpers/failures.js";

function call(
  name: string,
  args: unknown[],
  opts: Record<string, unknown> = {},
  bytes: number[] = [],
) {
  const ctx = makeCtx({
    bytes,
    secrets: { "user-passwords/alice": "hunter2\n", bin: new Uint8Array([0xff, 0xfe]) },
  });
  return callFunction(name, ctx, args, opts, "json.content.x");
}

describe("registry", () => {
  it("knows every function and ASG alias, nothing from the prototype", () => {
    expect(FUNCTION_NAMES).toEqual([
      "base64",
      "bcrypt",
      "concat",
      "fmt",
      "hashBcrypt",
      "json",
      "random",
      "readSecret",
      "secret",
      "sha256",
      "trim",
    ]);
    expect(FUNCTIONS.get("readSecret")).toBe(FUNCTIONS.get("secret"));
    expect(FUNCTIONS.get("hashBcrypt")).toBe(FUNCTIONS.get("bcrypt"));
    expect(isKnownFunction("constructor")).toBe(false);
    expect(isKnownFunction("toString")).toBe(false);
    expect(isKnownFunction("log")).toBe(false);
    expect(isKnownFunction("lookup")).toBe(false);
  });

  it("only bcrypt and random draw", () => {
    expect(FUNCTION_NAMES.filter((n) => FUNCTIONS.get(n)?.draws)).toEqual([
      "bcrypt",
      "hashBcrypt",
      "random",
    ]);
  });
});

describe("known answers", () => {
  it.for([
    ["secret", ["user-passwords/alice"], "hunter2\n"],
    ["readSecret", ["user-passwords/alice"], "hunter2\n"],
    ["concat", ["user-passwords/", "alice"], "user-passwords/alice"],
    ["concat", ["a", 1, "b", -20], "a1b-20"],
    ["concat", [""], ""],
    ["fmt", ["user-passwords/%s", "alice"], "user-passwords/alice"],
    ["fmt", ["%s%%%s", "a", 1], "a%1"],
    ["fmt", ["100%%"], "100%"],
    [
      "json",
      [{ b: 1, a: [true, null, "é", { d: 1, c: 2 }] }],
      '{"a":[true,null,"é",{"c":2,"d":1}],"b":1}',
    ],
    ["json", ["x"], '"x"'],
    ["json", [1.5], "1.5"],
    ["base64", ["héllo"], "aMOpbGxv"],
    ["base64", [""], ""],
    ["sha256", ["abc"], "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"],
    ["sha256", ["héllo"], "3c48591d8d098a4538f5e013dfcf406e948eac4d3277b10bf614e295d6068179"],
    ["trim", [" \t\r\n x y \v\f\n"], "x y"],
    // Only ASCII whitespace: a no-break space stays.
    ["trim", ["\u00a0x\u00a0"], "\u00a0x\u00a0"],
  ] as const)("%s %j", ([name, args, expected]) => {
    expect(call(name, [...args])).toBe(expected);
  });

  it.for([
    // alnum: 248 skipped, 100 → m
    [[3], {}, [0, 248, 100, 61], "Am9"],
    [[4], { charset: "hex" }, [0xde, 0xad, 0xbe, 0xef], "edef"],
    [[2], { alphabet: "01" }, [7, 8], "10"],
    [
      [3],
      { charsets: { uppercase: false, lowercase: false, special: false } },
      [250, 9, 10, 11],
      "901",
    ],
    [[], { bytes: 4, encoding: "base64url" }, [0xde, 0xad, 0xbe, 0xef], "3q2-7w"],
    [[], { bytes: 2 }, [0xde, 0xad], "dead"],
  ] as const)("random %j %j", ([args, opts, bytes, expected]) => {
    expect(call("random", [...args], { ...opts }, [...bytes])).toBe(expected);
  });

  it("random defaults to 32 alnum characters", () => {
    const out = call(
      "random",
      [],
      {},
      Array.from({ length: 32 }, (_, i) => i),
    );
    expect(out).toBe("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdef");
  });
});

describe("argument errors: code 2, naming the function and the problem, never a value", () => {
  it.for([
    ["secret", [], {}, "json.content.x", /^secret: takes 1 argument \(NAME\), got 0$/],
    [
      "secret",
      [42],
      {},
      "json.content.x.args[0]",
      /^secret: argument 1 \(NAME\) must be a string, not a number$/,
    ],
    ["secret", [""], {}, "json.content.x.args[0]", /must not be empty/],
    [
      "secret",
      ["user-passwords/alice"],
      { x: 1 },
      "json.content.x.opts.x",
      /unknown option "x" \(it takes none\)/,
    ],
    ["concat", [], {}, "json.content.x", /takes at least 1 argument/],
    [
      "concat",
      ["a", 1.5],
      {},
      "json.content.x.args[1]",
      /argument 2 \(VALUE\) must be a string or a whole number, not a number/,
    ],
    ["concat", ["a", null], {}, "json.content.x.args[1]", /not null/],
    ["fmt", ["%s %s", "a"], {}, "json.content.x.args[0]", /has 2 %s but 1 value was given/],
    ["fmt", ["%d", 1], {}, "json.content.x.args[0]", /may only use %s and %%/],
    ["fmt", ["50%"], {}, "json.content.x.args[0]", /may only use %s and %%/],
    ["json", [undefined], {}, "json.content.x.args[0]", /has no JSON form \(it holds undefined\)/],
    ["json", [[1, Infinity]], {}, "json.content.x.args[0]", /non-finite/],
    ["base64", [{}], {}, "json.content.x.args[0]", /must be a string, not an object/],
    ["sha256", [["a"]], {}, "json.content.x.args[0]", /not a list/],
    ["trim", ["a", "b"], {}, "json.content.x", /takes 1 argument \(VALUE\), got 2/],
    [
      "random",
      [0],
      {},
      "json.content.x.args[0]",
      /LENGTH\) must be a whole number from 1 to 4096, not 0/,
    ],
    ["random", ["8"], {}, "json.content.x.args[0]", /not a string/],
    [
      "random",
      [8],
      { charset: "nope" },
      "json.content.x.opts.charset",
      /must be one of alnum, hex/,
    ],
    ["random", [8], { charset: "hex", alphabet: "ab" }, "json.content.x", /give only one of/],
    [
      "random",
      [8],
      { alphabet: "a" },
      "json.content.x.opts.alphabet",
      /2 to 256 characters, not 1/,
    ],
    ["random", [8], { alphabet: "abca" }, "json.content.x.opts.alphabet", /repeats/],
    [
      "random",
      [8],
      { charsets: { special: "no" } },
      "json.content.x.opts.charsets",
      /charsets.special must be true or false/,
    ],
    [
      "random",
      [8],
      { charsets: { bold: true } },
      "json.content.x.opts.charsets",
      /unknown key "bold"/,
    ],
    [
      "random",
      [8],
      { charsets: { uppercase: false, lowercase: false, digits: false, special: false } },
      "json.content.x.opts.charsets",
      /switches every character set off/,
    ],
    ["random", [8], { encoding: "hex" }, "json.content.x.opts.encoding", /only goes with bytes/],
    ["random", [8], { bytes: 4 }, "json.content.x.args[0]", /no LENGTH argument with option bytes/],
    [
      "random",
      [],
      { bytes: 4, encoding: "utf8" },
      "json.content.x.opts.encoding",
      /must be one of hex, base64, base64url/,
    ],
    ["random", [], { bytes: 0 }, "json.content.x.opts.bytes", /from 1 to 65536, not 0/],
    ["random", [], { size: 3 }, "json.content.x.opts.size", /unknown option "size"/],
  ] as const)("%s %j %j", ([name, args, opts, field, message]) => {
    const err = failure(() => call(name, [...args], { ...opts }, [1, 2, 3, 4, 5, 6, 7, 8]));
    expect(err.exitCode).toBe(2);
    expect(err.secret).toBe("test/secret");
    expect(err.field).toBe(field);
    expect(err.message).toMatch(message);
    expect(err.message).not.toContain("hunter2");
  });

  it("a secret passed where a number is expected is described by type only", () => {
    const err = failure(() => call("bcrypt", ["x", "hunter2"]));
    expect(err.message).toBe(
      "bcrypt: argument 2 (COST) must be a whole number from 4 to 31, not a string",
    );
  });

  it("the template form keeps the field and prefixes the location", () => {
    const ctx = makeCtx();
    const err = failure(() => callFunction("trim", ctx, [1], {}, "template", "line 3, column 5"));
    expect(err.field).toBe("template");
    expect(err.message).toBe(
      "line 3, column 5: trim: argument 1 (VALUE) must be a string, not a number",
    );
    expect(err.toString()).toBe(
      'secrets."test/secret".template: line 3, column 5: trim: argument 1 (VALUE) must be a string, not a number',
    );
  });

  it("an unknown function is a usage error", () => {
    const err = failure(() => call("nope", []));
    expect(err.exitCode).toBe(2);
    expect(err.field).toBe("json.content.x.__secretgen");
    expect(err.message).toMatch(/unknown function "nope"/);
  });

  it("errors of the context pass through unchanged", () => {
    const ctx = makeCtx({ pending: ["later"] });
    expect(() => callFunction("secret", ctx, ["later"], {}, "w")).toThrow(NeedSecret);
    expect(ctx.needs).toHaveLength(1);
    const unknown = failure(() => callFunction("secret", ctx, ["missing"], {}, "w"));
    expect(unknown.message).toBe('reads unknown secret "missing"');
    expect(() => callFunction("random", makeCtx({ bytes: [1] }), [2], {}, "w")).toThrow(
      EntropyExhausted,
    );
  });
});

describe("a secret that is not UTF-8 text", () => {
  const bin = () => call("secret", ["bin"]);

  it("is bytes for base64 and sha256 (known answers: printf '\\xff\\xfe' | base64, | sha256sum)", () => {
    expect(call("base64", [bin()])).toBe("//4=");
    expect(call("sha256", [bin()])).toBe(
      "b3d510ef04275ca8e698e5b3cbb0ece3949ef9252f0cdc839e9ee347409a2209",
    );
  });

  it.for([
    ["concat", ["a", "BIN"], "concat: argument 2 (VALUE) is the value of secret"],
    ["bcrypt", ["BIN", 4], "bcrypt: argument 1 (VALUE) is the value of secret"],
    ["trim", ["BIN"], "trim: argument 1 (VALUE) is the value of secret"],
    ["json", [["BIN"]], "json: a part of argument 1 (VALUE) is the value of secret"],
  ] as const)("is a runtime failure (code 3) as text: %s", ([name, args, message]) => {
    const value = bin();
    const err = failure(() =>
      call(
        name,
        args.map((a) => (a === "BIN" ? value : Array.isArray(a) ? [value] : a)),
      ),
    );
    expect(err.exitCode).toBe(3);
    expect(err.message).toBe(
      `${message} "bin", which is not UTF-8 text (only base64 and sha256 take bytes)`,
    );
    expect(err.field).toBe("json.content.x");
  });
});

describe("code-point order", () => {
  it("sorts by code point, not UTF-16 unit, not locale", () => {
    const keys = ["b", "a", "B", "é", "\uffff", "😀", "a\u0000", ""];
    expect([...keys].sort(compareCodePoints)).toEqual([
      "",
      "B",
      "a",
      "a\u0000",
      "b",
      "é",
      "\uffff",
      "😀",
    ]);
    // JavaScript's default order puts the astral character (a surrogate pair) before U+FFFF.
    expect([...keys].sort()).toEqual(["", "B", "a", "a\u0000", "b", "é", "😀", "\uffff"]);
  });
});
