/**
 * The tree walker against handlebars' compiler: thousands of generated templates (lookups of
 * every kind, helpers with positional and named arguments, nested blocks with block parameters
 * and else chains, whitespace control, missing fields, values of every JSON type) rendered both
 * ways from the same seeded stream. Output bytes, the bytes drawn, and every error (message,
 * exit code, field) must be equal.
 */
import { beforeAll, describe, expect, it } from "vitest";
import type { TemplateSpec } from "../../../../src/declarations/types.js";
import { NeedSecret } from "../../../../src/engine/context.js";
import { EntropyExhausted } from "../../../../src/engine/entropy.js";
import {
  checkTemplate,
  loadTemplateEngine,
  renderTemplate as render,
} from "../../../../src/engine/template/index.js";
import { SecretgenError } from "../../../../src/errors.js";
import { body_, prng } from "../../../helpers/template-gen.js";
import { makeCtx, seededSource } from "../../support.js";
import { renderReference } from "./reference.js";

/** Both engines, loaded as a run loads them before rendering or checking. */
beforeAll(() => Promise.all([loadTemplateEngine("handlebars"), loadTemplateEngine("go")]));

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
      return { error: err.message, code: err.exitCode, field: err.field, drawn: drawn() };
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
  it("a call with options its function does not know is refused before rendering", () => {
    // Rendering would fail on them too, after evaluating the options (right to left, a
    // numeric name first): the declaration check finds the unknown option without rendering.
    for (const source of [
      '{{random 1 b=(secret "later") a=(secret "nope")}}',
      '{{random 1 b=(random 1) 1=(random 1 charset="hex")}}',
    ]) {
      expect(() => {
        checkTemplate(source, "test/secret");
      }).toThrow(/random: unknown option "(1|a)"/);
    }
  });

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
    ["named arguments right to left", '{{random bytes=(secret "later") encoding=(secret "nope")}}'],
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
