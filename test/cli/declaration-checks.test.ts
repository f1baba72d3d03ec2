/**
 * What `generate` refuses in a template or JSON content (syntax, unknown functions, a literal
 * argument out of range) is the same declaration error, exit 2, nothing written, from
 * `check --offline` (no key), `check`, `generate --dry-run` and `generate`, in both template
 * engines and in JSON markers, also after the secret was generated once (not only "declaration
 * changed"). A bad value that comes from data is found when rendering, with the same message.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { TestRepo, changedFiles, decls } from "../helpers/repo.js";
import { describeWithTools } from "../helpers/tools.js";

const a = { hosts: ["web01"], random: { length: 12 } };
const go = (content: string, data: unknown = {}) => ({
  hosts: ["web01"],
  template: { engine: "go", content, data },
});
const hbs = (content: string, data?: unknown) => ({
  hosts: ["web01"],
  template: data === undefined ? { content } : { content, data },
});
const marker = (fn: string, ...args: unknown[]) => ({ __secretgen: fn, args });
const COST = "bcrypt: argument 2 (COST) must be a whole number from 4 to 31, not 3";

interface Case {
  name: string;
  t: unknown;
  error: string;
}

const cases: Case[] = [
  {
    name: "handlebars: bcrypt cost 3",
    t: hbs('x\n{{#each users}}{{bcrypt (secret "a") 3}}{{/each}}', { users: [] }),
    error: `secrets."t".template: line 2, column 16: ${COST}`,
  },
  {
    name: "handlebars: random length 0 in a branch not taken",
    t: hbs('{{#if no}}{{random 0 charset="hex"}}{{/if}}', { no: false }),
    error:
      'secrets."t".template: line 1, column 11: random: argument 1 (LENGTH) must be a whole number from 1 to 4096, not 0',
  },
  {
    name: "handlebars: an unknown option",
    t: hbs('{{random 8 colour="red"}}'),
    error:
      'secrets."t".template: line 1, column 1: random: unknown option "colour" (known: alphabet, bytes, charset, charsets, encoding)',
  },
  {
    name: "handlebars: too many arguments",
    t: hbs('{{trim (secret "a") "b"}}'),
    error: 'secrets."t".template: line 1, column 1: trim: takes 1 argument (VALUE), got 2',
  },
  {
    name: "handlebars: a syntax error",
    t: hbs("a\n{{#each xs}}"),
    error: 'secrets."t".template: line 2, column 13: syntax error at the end of the template',
  },
  {
    name: "go: hashBcrypt cost 3",
    t: go('{{ if .x }}{{ hashBcrypt (readSecret "a") 3 }}{{ end }}'),
    error: `secrets."t".template: line 1, column 15: ${COST}`,
  },
  {
    name: "go: a random charset that does not exist, in a define",
    t: go('{{ define "p" }}{{ random 8 "klingon" }}{{ end }}{{ template "p" }}'),
    error:
      'secrets."t".template: line 1, column 20: random: option charset must be one of alnum, hex, digits, lowercase, base64url, printable',
  },
  {
    name: "go: an unknown function",
    t: go("{{ nofunc 1 }}"),
    error: 'secrets."t".template: line 1, column 4: function "nofunc" not defined',
  },
  {
    name: "json: bcrypt cost 3",
    t: { hosts: ["web01"], json: { content: { p: marker("bcrypt", marker("secret", "a"), 3) } } },
    error: `secrets."t".json.content.p.args[1]: ${COST}`,
  },
  {
    name: "json: a marker with an unknown key",
    t: {
      hosts: ["web01"],
      json: { content: { p: { __secretgen: "secret", args: ["a"], extra: 1 } } },
    },
    error:
      'secrets."t".json.content.p.extra: unknown key in a function call (allowed: __secretgen, args, opts)',
  },
];

const COMMANDS: { args: string[]; identity: boolean }[] = [
  { args: ["check", "--offline"], identity: false },
  { args: ["check"], identity: true },
  { args: ["generate", "--dry-run"], identity: true },
  { args: ["generate"], identity: true },
];

let repo: TestRepo;
beforeEach(() => {
  repo = new TestRepo();
});
afterEach(() => {
  repo.cleanup();
});

function errors(stderr: string): string[] {
  return stderr
    .split("\n")
    .filter((l) => l.startsWith("secretgen: error: "))
    .map((l) => l.slice("secretgen: error: ".length));
}

describeWithTools(["age"], "declaration errors before rendering", () => {
  it.for(cases)("$name: the same error from every command", ({ t, error }) => {
    repo.declare(decls({ a, t }));
    const before = repo.snapshot();
    for (const { args, identity } of COMMANDS) {
      const r = repo.run(args, { identity });
      expect({ cmd: args.join(" "), code: r.code, errors: errors(r.stderr) }).toEqual({
        cmd: args.join(" "),
        code: 2,
        errors: [error],
      });
    }
    expect(changedFiles(before, repo.snapshot())).toEqual([]);
  });

  it("after a first generate, check --offline gives the error, not only 'declaration changed'", () => {
    repo.declare(decls({ a, t: hbs('{{bcrypt (secret "a") 4}}') }));
    expect(repo.run(["generate"]).code).toBe(0);
    repo.declare(decls({ a, t: hbs('{{bcrypt (secret "a") 3}}') }));
    const r = repo.run(["check", "--offline"], { identity: false });
    expect(r.code).toBe(2);
    expect(errors(r.stderr)).toEqual([`secrets."t".template: line 1, column 1: ${COST}`]);
  });

  it("a cost from data is found when rendering, with the same message", () => {
    repo.declare(decls({ a, t: hbs('{{bcrypt (secret "a") cost}}', { cost: 3 }) }));
    expect(repo.run(["check", "--offline"], { identity: false }).code).toBe(1); // missing
    const r = repo.run(["generate"]);
    expect(r.code).toBe(2);
    expect(errors(r.stderr)).toEqual([`secrets."t".template: line 1, column 1: ${COST}`]);
  });

  it("calls that are fine pass, whatever their unknown arguments", () => {
    repo.declare(
      decls({
        a,
        h: hbs(
          '{{bcrypt (secret "a") 4}} {{random 8 charset="hex"}} {{concat "u-" this.x (secret "a")}} {{fmt "%s" (trim (secret "a"))}} {{json (secret "a")}} {{base64 "x"}}',
          { x: "1" },
        ),
        g: go(
          '{{ hashBcrypt (readSecret "a") 4 }} {{ random 8 "hex" }} {{ fmt "%s-%d" (readSecret "a") 3 }} {{ readSecret "a" | sha256 }} {{ concat .x "y" }}',
          { x: "1" },
        ),
        j: {
          hosts: ["web01"],
          json: {
            content: {
              p: marker("bcrypt", marker("secret", "a"), 4),
              q: marker("json", [marker("secret", "a")]),
              r: { __secretgen: "random", args: [8], opts: { charsets: { special: false } } },
            },
          },
        },
      }),
    );
    expect(repo.run(["check", "--offline"], { identity: false }).code).toBe(1);
    expect(repo.run(["generate"]).code).toBe(0);
    expect(repo.run(["check", "--offline"], { identity: false }).code).toBe(0);
  });
});

describe("offline check stays static", () => {
  it("never decrypts: no key is needed for the check", () => {
    repo.declare(decls({ a, t: hbs('{{bcrypt (secret "a") 3}}') }));
    const r = repo.run(["check", "--offline"], { identity: false });
    expect(r.code).toBe(2);
  });
});
