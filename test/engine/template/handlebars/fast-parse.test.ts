/**
 * The fast template parser against handlebars' own: whenever the fast parser returns a tree, it
 * must be exactly the tree handlebars' `parse` returns (every node, key, value and location,
 * undefined-valued keys included); when handlebars refuses a template, the fast parser must give
 * up. Corpora: generated templates with and without blocks, thousands of mutations of them, and
 * named cases.
 */
import { parse } from "handlebars/dist/cjs/handlebars/compiler/base.js";
import { describe, expect, it } from "vitest";
import { fastParse } from "../../../../src/engine/template/handlebars/fast-parse.js";
import { body_, mustache, pick, prng } from "../../../helpers/template-gen.js";

/** A tree as text, undefined-valued keys included. */
function shape(tree: unknown): string {
  return JSON.stringify(tree, (_key, v: unknown) => (v === undefined ? "<undefined>" : v));
}

function reference(source: string): string | undefined {
  try {
    return shape(parse(source));
  } catch {
    return undefined;
  }
}

/** Checks one template; says which parser handled it. */
function agree(source: string): "fast" | "fallback" {
  const fast = fastParse(source);
  if (fast === undefined) return "fallback";
  expect(shape(fast), JSON.stringify(source)).toBe(reference(source));
  return "fast";
}

const TEXT = ["text", " ", "\n", "  \n", "-", ":", "{", "}", "a\tb", "ü€😀", "x\n\ny"];

/** Text and mustaches only (no blocks or comments), as most secrets' templates are. */
function plain(r: () => number): string {
  let out = "";
  const n = 1 + Math.floor(r() * 5);
  for (let i = 0; i < n; i++) out += r() < 0.35 ? pick(r, TEXT) : mustache(r, 0);
  return out;
}

const TRICKY = [
  ...Array.from("{}()\"'=~\\ \n\r\t.@/[]|#!&^*>-09aZ_$:?\0\u2028"),
  "as |",
  "else",
  "true",
];

function mutate(r: () => number, source: string): string {
  let s = source;
  for (let k = 1 + Math.floor(r() * 3); k > 0; k--) {
    const at = Math.floor(r() * (s.length + 1));
    const roll = r();
    if (roll < 0.4) s = s.slice(0, at) + pick(r, TRICKY) + s.slice(at);
    else if (roll < 0.7) s = s.slice(0, at) + s.slice(at + 1);
    else s = s.slice(0, at) + pick(r, TRICKY) + s.slice(at + 1);
  }
  return s;
}

describe("the fast template parser builds handlebars' tree or gives up", () => {
  it("on 4000 generated templates with blocks, comments and whitespace control", () => {
    let fast = 0;
    for (let i = 0; i < 4000; i++) if (agree(body_(prng(i + 1), 0)) === "fast") fast++;
    // Only the block-free ones among them can take the fast path.
    expect(fast).toBeGreaterThan(400);
  });

  it("on 4000 generated plain templates: every valid one without ~ or [ takes the fast path", () => {
    let fast = 0;
    for (let i = 0; i < 4000; i++) {
      const source = plain(prng(10_000 + i));
      const path = agree(source);
      if (path === "fast") fast++;
      else if (!/[~[]/.test(source) && reference(source) !== undefined) {
        expect.fail(`valid plain template left to handlebars: ${JSON.stringify(source)}`);
      }
    }
    expect(fast).toBeGreaterThan(1200);
  });

  it("on 20000 mutations of them (stray braces, quotes, escapes, CR, NUL, keywords)", () => {
    let fast = 0;
    let refused = 0;
    for (let i = 0; i < 20_000; i++) {
      const r = prng(50_000 + i);
      const source = mutate(r, plain(r));
      if (agree(source) === "fast") fast++;
      if (reference(source) === undefined) refused++;
    }
    expect(fast).toBeGreaterThan(3000);
    expect(refused).toBeGreaterThan(2000);
  });

  it.each([
    ["the benchmark's htpasswd line", 'user0:{{bcrypt (secret "pw/0") 10}}\n'],
    ["named arguments", '{{random 24 charset="alnum"}} {{fmt "%s:%s" a b}}'],
    ["literal helper names", '{{"x"}}{{1}}{{true}}{{null}}{{undefined}}{{-2.5}}'],
    ["triple and & mustaches", "{{{a}}} {{& b}} {{{ c.d }}}"],
    ["paths", "{{this}}{{.}}{{./a}}{{../a}}{{../../a/b}}{{this.a}}{{a/b.c}}{{@root.x}}{{@index}}"],
    ["white space and newlines inside mustaches", '{{f\n  a\n  "multi\nline"\n  k =\n 1 }}'],
    ["spaces around path separators", "{{a . b}}{{a /b}}{{@ a}}"],
    ["keyword-like names", "{{trueish}}{{f true=1 null=2}}{{-x}}{{1a}}{{1.5x}}"],
    ["no mustache", "just text\nover lines\n"],
    ["empty", ""],
    ["unicode", "ü{{a}}€\n😀{{b}}"],
    ["a dot key", "{{f ..=1}}"],
    ["a 500-digit number", `{{f ${"7".repeat(500)}}}`],
    ["long white space before else-like names", `{{${" ".repeat(80)}elsewhere}}`],
  ])("named case: %s", (_name, source) => {
    expect(agree(source)).toBe("fast");
  });

  it.each([
    ["a block", "{{#if a}}x{{/if}}"],
    ["else", "{{else}}"],
    ["a comment", "{{! c }}"],
    ["whitespace control", "{{~a}}"],
    ["an escaped mustache", "\\{{a}}"],
    ["a literal segment", "{{[a b]}}"],
    ["CRLF", "{{a}}\r\n"],
    ["a syntax error", "{{a"],
    ["an invalid path", "{{a.this}}"],
    ["a positional argument after a named one", "{{f a=1 b}}"],
    ["else after long white space", `{{${" ".repeat(80)}else}}`],
  ])("gives up on %s", (_name, source) => {
    expect(fastParse(source)).toBeUndefined();
  });
});
