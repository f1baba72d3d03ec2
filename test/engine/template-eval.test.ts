/**
 * The tree walker against handlebars' compiler: thousands of generated templates (lookups of
 * every kind, helpers with positional and named arguments, nested blocks with block parameters
 * and else chains, whitespace control, missing fields, values of every JSON type) rendered both
 * ways from the same seeded stream. Output bytes, the bytes drawn, and every error (message,
 * exit code, field) must be equal.
 */
import { describe, expect, it } from "vitest";
import type { TemplateSpec } from "../../src/declarations/types.js";
import { NeedSecret } from "../../src/engine/context.js";
import { EntropyExhausted } from "../../src/engine/entropy.js";
import { checkTemplate, render } from "../../src/engine/generators/template.js";
import { SecretgenError } from "../../src/errors.js";
import { makeCtx, seededSource } from "./support.js";
import { renderReference } from "./template-reference.js";

const DATA = {
  a: "x",
  n: 0,
  one: 1,
  t: true,
  f: false,
  z: null,
  s: "",
  list: ["p", "q"],
  empty: [],
  objs: [{ name: "u", v: 1 }, { name: "later" }, {}],
  o: { b: "y", Zed: 2, alpha: { deep: "d" }, "1": "one", "": "blank" },
  nums: [0, 1, 2.5],
  nested: [[1, 2], [], ["p"]],
  constructor: "c",
};
const SECRETS = { p: "pw", q: "qq", x: "xx", y: "  yy  ", u: "uu", c: "cc", one: "1" };
const PENDING = ["later"];

/** A small deterministic PRNG (mulberry32) so that a failing case can be regenerated. */
function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PATHS = [
  "a",
  "n",
  "one",
  "t",
  "f",
  "z",
  "s",
  "list",
  "empty",
  "objs",
  "o",
  "nums",
  "nested",
  "o.b",
  "o.Zed",
  "o.alpha.deep",
  "o.alpha",
  "o.[1]",
  "o.missing",
  "missing",
  "missing.x",
  "a.length",
  "a.x",
  "n.x",
  "z.x",
  "t.x",
  "s.x",
  "list.length",
  "list.[0]",
  "list.map",
  "this",
  "this.a",
  "./a",
  ".",
  "../a",
  "../this",
  "../../a",
  "name",
  "v",
  "this.name",
  "@index",
  "@key",
  "@first",
  "@last",
  "@root",
  "@root.a",
  "@root.o.b",
  "@../index",
  "@../key",
  "@root.missing",
  "@missing",
  "@_parent",
  "@constructor",
  "x",
  "i",
  "y",
  "x.name",
  "y.b",
  "k",
  "constructor",
  "__proto__",
  "toString",
  "hasOwnProperty",
  "[a]",
  "[o].b",
  "[if]",
  "random",
  "secret",
  "concat",
  "@if",
  "@each",
  "@with",
  "@unless",
  "@helperMissing",
  "helperMissing",
  "blockHelperMissing",
  "@random",
  "log",
  "lookup",
];
const LITERALS = [
  '"p"',
  "'q'",
  '"x"',
  '"later"',
  '"nope"',
  "1",
  "0",
  "-1",
  "2.5",
  "4",
  "true",
  "false",
  "null",
  "undefined",
  '"%s-%s"',
  '"a b"',
  '"y"',
];
const CHARSETS = ['"hex"', '"digits"', '"alnum"', '"nope"', "1"];

function pick<T>(r: () => number, xs: readonly T[]): T {
  return xs[Math.floor(r() * xs.length)] as T;
}

function arg(r: () => number, depth: number): string {
  const roll = r();
  if (roll < 0.4) return pick(r, PATHS);
  if (roll < 0.75 || depth > 2) return pick(r, LITERALS);
  return `(${call(r, depth + 1)})`;
}

function call(r: () => number, depth: number): string {
  const n = Math.floor(r() * 3);
  const args = () => Array.from({ length: n }, () => arg(r, depth)).join(" ");
  switch (Math.floor(r() * 11)) {
    case 0:
      return `random ${pick(r, ["2", "3", "0", "x", "1"])}${r() < 0.5 ? ` charset=${pick(r, CHARSETS)}` : ""}`;
    case 1:
      return `concat ${arg(r, depth)} ${args()}`;
    case 2:
      return `secret ${arg(r, depth)}`;
    case 3:
      return `readSecret ${pick(r, ['"p"', '"later"', "a", "x", "@key"])}`;
    case 4:
      return `json ${arg(r, depth)}`;
    case 5:
      return `fmt "%s/%s" ${arg(r, depth)} ${arg(r, depth)}`;
    case 6:
      return `sha256 ${arg(r, depth)}`;
    case 7:
      return `trim ${arg(r, depth)}`;
    case 8:
      return `base64 ${arg(r, depth)}`;
    case 9: {
      // Named arguments: duplicates, numeric keys, undefined values, evaluated right to left.
      const keys = ["charset", "charset", "b", "1", "a"];
      const hash = Array.from(
        { length: 1 + Math.floor(r() * 3) },
        () =>
          `${pick(r, keys)}=${r() < 0.3 ? "undefined" : `(random 1 charset=${pick(r, CHARSETS)})`}`,
      ).join(" ");
      return `random ${pick(r, ["1", "2"])} ${hash}`;
    }
    default:
      return `bcrypt (secret ${pick(r, ['"p"', '"q"', "a"])}) ${pick(r, ["4", "3", "a"])}`;
  }
}

function mustache(r: () => number, depth: number): string {
  const inner = r() < 0.45 ? pick(r, [...PATHS, ...LITERALS]) : call(r, depth);
  const open = pick(r, ["{{", "{{", "{{~", "{{{", "{{&"]);
  if (open === "{{{") return `{{{${inner}}}}`;
  return `${open}${open === "{{&" ? " " : ""}${inner}${pick(r, ["}}", "}}", "~}}"])}`;
}

function block(r: () => number, depth: number): string {
  const name = pick(r, ["if", "unless", "with", "each", "each", "if"]);
  const param = r() < 0.7 ? pick(r, PATHS) : r() < 0.5 ? pick(r, LITERALS) : `(${call(r, depth)})`;
  const params =
    name === "each"
      ? pick(r, ["", " as |x|", " as |x i|", " as |y k|"])
      : name === "with"
        ? pick(r, ["", " as |y|", " as |x|"])
        : pick(r, ["", "", " as |x|"]);
  const body = body_(r, depth + 1);
  const otherwise =
    r() < 0.3
      ? `{{else}}${body_(r, depth + 1)}`
      : r() < 0.15
        ? `{{else if ${pick(r, PATHS)}}}${body_(r, depth + 1)}`
        : "";
  const nl = r() < 0.3 ? "\n" : "";
  return `{{#${name} ${param}${params}}}${nl}${body}${otherwise}{{/${name}}}${nl}`;
}

function body_(r: () => number, depth: number): string {
  const n = 1 + Math.floor(r() * (depth > 2 ? 2 : 4));
  let out = "";
  for (let i = 0; i < n; i++) {
    const roll = r();
    if (roll < 0.3) out += pick(r, ["text", " ", "\n", "  \n", "-", ":", "{", "}", "a\tb"]);
    else if (roll < 0.75 || depth > 3) out += mustache(r, depth);
    else if (roll < 0.8) out += "{{! a comment }}";
    else out += block(r, depth);
  }
  return out;
}

type Outcome =
  | { value: string; drawn: string }
  | { error: string; code: number; field?: string; drawn: string }
  | { need: string; drawn: string };

function outcome(fn: () => Uint8Array, drawn: () => string): Outcome {
  try {
    return { value: Buffer.from(fn()).toString("hex"), drawn: drawn() };
  } catch (err) {
    if (err instanceof NeedSecret) return { need: err.secret, drawn: drawn() };
    if (err instanceof SecretgenError)
      return { error: err.message, code: err.code, field: err.field, drawn: drawn() };
    if (err instanceof EntropyExhausted) return { error: "exhausted", code: 0, drawn: drawn() };
    throw err;
  }
}

function both(source: string, seed: string): { walker: Outcome; reference: Outcome } {
  const spec: TemplateSpec = { kind: "template", source, data: DATA };
  const ctxFor = () => makeCtx({ fresh: seededSource(seed), secrets: SECRETS, pending: PENDING });
  const a = ctxFor();
  const b = ctxFor();
  const recorded = (c: typeof a) => () => Buffer.from(c.entropy.recorded()).toString("hex");
  return {
    walker: outcome(() => render(spec, a).value, recorded(a)),
    reference: outcome(() => renderReference(spec, b), recorded(b)),
  };
}

function accepted(source: string): boolean {
  try {
    checkTemplate(source, "test/secret");
    return true;
  } catch (err) {
    if (err instanceof SecretgenError) return false;
    throw err;
  }
}

describe("the tree walker renders as handlebars' compiler does", () => {
  it("on 4000 generated templates: output, bytes drawn and errors are equal", () => {
    const kinds = { value: 0, error: 0, need: 0, refused: 0 };
    for (let i = 0; i < 4000; i++) {
      const r = prng(i + 1);
      const source = body_(r, 0);
      if (!accepted(source)) {
        kinds.refused++;
        continue;
      }
      const { walker, reference } = both(source, `case-${i}`);
      expect({ source, ...walker }).toEqual({ source, ...reference });
      kinds["value" in walker ? "value" : "need" in walker ? "need" : "error"]++;
    }
    // The generator must exercise every kind of outcome, not only errors.
    expect(kinds.value).toBeGreaterThan(800);
    expect(kinds.error).toBeGreaterThan(400);
    expect(kinds.need).toBeGreaterThan(20);
  });

  it.for([
    [
      "duplicate named arguments: the first wins, the second never draws",
      '{{random 2 charset="hex" charset=(random 1)}}',
    ],
    ["named arguments right to left", '{{random 1 b=(secret "later") a=(secret "nope")}}'],
    [
      "a numeric named argument comes first",
      '{{random 1 b=(random 1) 1=(random 1 charset="hex")}}',
    ],
    ["undefined as a named argument is no argument", "{{random 2 charset=undefined}}"],
    ["a block parameter shadows a helper", "{{#each list as |random|}}{{random 3}}{{/each}}"],
    [
      "a block parameter named like the block helper",
      "{{#each list as |if|}}{{#if 1}}a{{/if}}{{/each}}",
    ],
    ["@data named like a helper", "{{@random}}"],
    ["a literal as a path", '{{"a"}}{{1}}{{true}}'],
    ["../ across if (no new context)", "{{#each objs}}{{#if 1}}{{../a}}{{/if}}{{/each}}"],
    ["with of a falsy 0", "{{#with n}}zero{{else}}none{{/with}}"],
    ["if on an empty list", "{{#if empty}}y{{else}}n{{/if}}"],
    [
      "each over null elements",
      "{{#each (json z)}}{{this}}{{/each}}{{#each objs}}{{#if 1}}{{this}}{{/if}}{{/each}}",
    ],
    [
      "@../index in nested each",
      "{{#each nested}}{{#each this}}{{@../index}}.{{@index}} {{/each}}{{/each}}",
    ],
    ["block params after a non-passing helper", "{{#if 1 as |x|}}{{x}}{{/if}}"],
  ] as const)("%s", ([, source]) => {
    expect(accepted(source)).toBe(true);
    const { walker, reference } = both(source, source);
    expect(walker).toEqual(reference);
  });

  it("refuses __proto__ as a named argument (handlebars would drop it silently)", () => {
    expect(accepted('{{random 2 __proto__="hex"}}')).toBe(false);
  });
});
