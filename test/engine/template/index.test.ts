import { beforeAll, describe, expect, it } from "vitest";
import type { TemplateSpec } from "../../../src/declarations/types.js";
import { NeedSecret } from "../../../src/engine/context.js";
import { EntropyExhausted, EntropyStream } from "../../../src/engine/entropy.js";
import {
  checkTemplate,
  loadTemplateEngine,
  renderTemplate as render,
} from "../../../src/engine/template/index.js";
import { counting, makeCtx, seededSource, text } from "../support.js";
import { failure } from "../../helpers/failures.js";

/** Both engines, loaded as a run loads them before rendering or checking. */
beforeAll(() => Promise.all([loadTemplateEngine("handlebars"), loadTemplateEngine("go")]));

const tpl = (source: string, data: unknown = {}): TemplateSpec => ({
  kind: "template",
  source,
  data,
});

const HTPASSWD =
  '{{#each users}}{{this}}:{{bcrypt (secret (concat "user-passwords/" this)) 4}}\n{{/each}}';
const PASSWORDS = { "user-passwords/alice": "pw-alice", "user-passwords/bob": "pw-bob" };
// Salts 00..0f and 10..1f; hashes made by libxcrypt's crypt(3) (perl) for the same salts.
const HTPASSWD_EXPECTED =
  "alice:$2b$04$..CA.uOD/eaGAOmJB.yMBuOfwkBK6amJ94mJYzpuga/Ggt0XiB3R6\n" +
  "bob:$2b$04$C/CQCvOTDfaWEPmZF/ycFuaCLzg98MPZiLh7n3UqPyV6U0pUgyCTa\n";

describe("template known answers", () => {
  it("plain text, data fields, no HTML escaping, no trailing newline added", () => {
    const out = render(
      tpl('<a href="{{url}}">{{name}}</a> & {{n}}', { url: "x?a=1&b=<2>", name: "O'Brien", n: 3 }),
      makeCtx(),
    );
    expect(text(out.value)).toBe('<a href="x?a=1&b=<2>">O\'Brien</a> & 3');
  });

  it("an htpasswd file: each in order, computed secret names, salts drawn in order", () => {
    const ctx = makeCtx({ bytes: counting(0, 32), secrets: PASSWORDS });
    expect(text(render(tpl(HTPASSWD, { users: ["alice", "bob"] }), ctx).value)).toBe(
      HTPASSWD_EXPECTED,
    );
    expect(ctx.entropy.position).toBe(32);
  });

  it("the ASG names work the same (readSecret, hashBcrypt, fmt)", () => {
    const source =
      '{{#each users}}{{this}}:{{hashBcrypt (readSecret (fmt "user-passwords/%s" this)) 4}}\n{{/each}}';
    const ctx = makeCtx({ bytes: counting(0, 32), secrets: PASSWORDS });
    expect(text(render(tpl(source, { users: ["alice", "bob"] }), ctx).value)).toBe(
      HTPASSWD_EXPECTED,
    );
  });

  it("random helpers draw statement by statement, arguments left to right", () => {
    // hex: 0xde→e 0xad→d; digits (limit 250): 250 skipped, 7→7, 12→2; then alnum 0→A
    const source = '{{random 2 charset="hex"}}-{{concat (random 2 charset="digits") (random 1)}}';
    const ctx = makeCtx({ bytes: [0xde, 0xad, 250, 7, 12, 0] });
    expect(text(render(tpl(source), ctx).value)).toBe("ed-72A");
  });

  it("each over an object walks keys in code-point order, not insertion order", () => {
    const source =
      '{{#each users}}{{@key}}={{this}}/{{random 1 charset="hex"}}{{#unless @last}},{{/unless}}{{/each}}';
    const a = render(
      tpl(source, { users: { bob: 2, Zed: 3, alice: 1 } }),
      makeCtx({ bytes: [1, 2, 3] }),
    );
    const b = render(
      tpl(source, { users: { alice: 1, bob: 2, Zed: 3 } }),
      makeCtx({ bytes: [1, 2, 3] }),
    );
    expect(text(a.value)).toBe("Zed=3/1,alice=1/2,bob=2/3");
    expect(b.value).toEqual(a.value);
  });

  it("each gives @index, @first, block params, and else for empty lists", () => {
    const source = "{{#each xs as |x i|}}{{i}}{{x}}{{#if @first}}!{{/if}}{{else}}none{{/each}}";
    expect(text(render(tpl(source, { xs: ["a", "b"] }), makeCtx()).value)).toBe("0a!1b");
    expect(text(render(tpl(source, { xs: [] }), makeCtx()).value)).toBe("none");
  });

  it("if, unless, with and @root work", () => {
    const source =
      "{{#with cfg}}{{#if on}}{{name}}{{else}}off{{/if}}{{#unless on}}-{{/unless}}{{@root.top}}{{/with}}";
    expect(
      text(render(tpl(source, { cfg: { on: true, name: "n" }, top: "T" }), makeCtx()).value),
    ).toBe("nT");
  });

  it("keys named like prototype members are plain data", () => {
    const data = JSON.parse('{"__proto__": "p", "constructor": "c"}') as unknown;
    expect(text(render(tpl("{{__proto__}}{{constructor}}", data), makeCtx()).value)).toBe("pc");
  });

  it("json of template data is stable", () => {
    const out = render(
      tpl("{{json cfg}}", { cfg: { b: [1, { d: 0, c: null }], a: "x" } }),
      makeCtx(),
    );
    expect(text(out.value)).toBe('{"a":"x","b":[1,{"c":null,"d":0}]}');
  });

  it("a replay with too few bytes throws EntropyExhausted, unwrapped", () => {
    const ctx = makeCtx({ bytes: counting(0, 20), secrets: PASSWORDS });
    expect(() => render(tpl(HTPASSWD, { users: ["alice", "bob"] }), ctx)).toThrow(EntropyExhausted);
  });
});

describe("NeedSecret propagation", () => {
  it("propagates unchanged from inside each, for a computed name", () => {
    const ctx = makeCtx({
      bytes: counting(0, 32),
      secrets: { "user-passwords/alice": "pw-alice" },
      pending: ["user-passwords/bob"],
    });
    let thrown: unknown;
    try {
      render(tpl(HTPASSWD, { users: ["alice", "bob"] }), ctx);
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(NeedSecret);
    expect(thrown).toBe(ctx.needs[0]);
    expect((thrown as NeedSecret).secret).toBe("user-passwords/bob");
  });

  it("a restart replays the salts drawn before it (the engine's loop)", () => {
    const stream = new EntropyStream(undefined, seededSource("restart"));
    const secrets: Record<string, string> = { "user-passwords/alice": "pw-alice" };
    const pending = ["user-passwords/bob"];
    const memo = new Map<string, string>();
    const spec = tpl(HTPASSWD, { users: ["alice", "bob"] });
    expect(() => render(spec, makeCtx({ stream, secrets, pending, memo }))).toThrow(NeedSecret);
    expect(stream.recorded()).toHaveLength(16); // alice's salt, drawn before bob was needed
    const aliceSalt = stream.recorded();
    secrets["user-passwords/bob"] = "pw-bob";
    stream.restart();
    const first = render(spec, makeCtx({ stream, secrets, memo }));
    expect(stream.recorded().subarray(0, 16)).toEqual(aliceSalt);
    // A pure replay of the recording gives the same bytes.
    const replay = render(spec, makeCtx({ bytes: stream.recorded(), secrets }));
    expect(replay.value).toEqual(first.value);
  });
});

describe("template errors (code 2, field template, line and column)", () => {
  it.for([
    ["syntax error", "line one\nline {{two}\n", /^line 2, column 11: syntax error at "}"$/],
    [
      "unrecognized text",
      "q\n  {{!-- unclosed",
      /^line 2, column 3: syntax error: unrecognized text$/,
    ],
    [
      "unclosed block",
      "{{#if a}}\nx\n",
      /^line \d+, column \d+: syntax error at the end of the template$/,
    ],
    ["mismatched block", "a\n  {{#if x}}y{{/each}}", /^line 2, column 6: if doesn't match each$/],
    [
      "unknown helper",
      "x\n  {{nope 1}}",
      /^line 2, column 3: unknown helper "nope" \(known: base64, bcrypt/,
    ],
    [
      "unknown helper in a subexpression",
      "{{concat (upper x) 1}}",
      /^line 1, column 10: unknown helper "upper"/,
    ],
    ["log", '{{log "hi"}}', /^line 1, column 1: unknown helper "log"/],
    ["lookup", "{{lookup users 0}}", /^line 1, column 1: unknown helper "lookup"/],
    [
      "lookup as a subexpression",
      "{{trim (lookup users 0)}}",
      /^line 1, column 8: unknown helper "lookup"/,
    ],
    ["a function as a block", "{{#bcrypt x}}y{{/bcrypt}}", /is not a block helper/],
    [
      "a mustache section",
      "{{#users}}x{{/users}}",
      /^line 1, column 1: \{\{#users\}\} is not a block helper/,
    ],
    ["an inverse section", "{{^users}}x{{/users}}", /is not a block helper/],
    ["a raw block", "{{{{raw}}}} {{x}} {{{{/raw}}}}", /is not a block helper/],
    [
      "a block helper inline",
      "{{if a}}",
      /^line 1, column 1: if is a block helper: use \{\{#if …\}\}…\{\{\/if\}\}$/,
    ],
    ["each without argument", "{{#each}}x{{/each}}", /#each takes exactly one argument/],
    ["a partial", "{{> part}}", /partials are not supported/],
    [
      "an inline partial (decorator)",
      '{{#*inline "p"}}x{{/inline}}',
      /decorators are not supported/,
    ],
  ] as const)("%s", ([, source, message]) => {
    for (const fn of [
      () => {
        checkTemplate(source, "web/conf");
      },
      () => render(tpl(source, { a: 1, x: "", users: [] }), makeCtx({ secret: "web/conf" })),
    ]) {
      const err = failure(fn);
      expect(err.exitCode).toBe(2);
      expect(err.secret).toBe("web/conf");
      expect(err.field).toBe("template");
      expect(err.message).toMatch(message);
    }
  });

  it("checkTemplate accepts a good template without rendering it", () => {
    expect(() => {
      checkTemplate(HTPASSWD, "htpasswd");
    }).not.toThrow();
    expect(() => {
      checkTemplate(
        "{{#if a}}{{random 4}}{{else if b}}{{secret b}}{{else}}{{@root.x}}{{/if}}",
        "x",
      );
    }).not.toThrow();
  });

  it.for([
    [
      "a missing field",
      "a\n {{nope}}",
      {},
      /^line 2, column 4: "nope" is not defined in the template data$/,
    ],
    [
      "a missing nested field",
      "{{a.b}}",
      { a: {} },
      /^line 1, column 3: "b" is not defined in the template data$/,
    ],
    ["log as a field", "{{log}}", {}, /"log" is not defined/],
    ["a prototype member", "{{constructor}}", {}, /"constructor" is not defined/],
    [
      "a field of a string",
      "{{a.length}}",
      { a: "str" },
      /^"length" is looked up in a value that is not an object$/,
    ],
  ] as const)("at render time: %s", ([, source, data, message]) => {
    const err = failure(() => render(tpl(source, data), makeCtx()));
    expect(err.exitCode).toBe(2);
    expect(err.field).toBe("template");
    expect(err.message).toMatch(message);
  });

  it("an object renders as in handlebars, a list joined with commas", () => {
    const out = render(tpl("{{a}} {{l}}", { a: { b: 1 }, l: [1, "x", { c: 2 }] }), makeCtx());
    expect(text(out.value)).toBe("[object Object] 1,x,[object Object]");
  });

  it("a bad helper argument points to the call", () => {
    const err = failure(() =>
      render(tpl('x\n  {{bcrypt (secret "p") 3}}'), makeCtx({ secrets: { p: "hunter2" } })),
    );
    expect(err.message).toBe(
      "line 2, column 3: bcrypt: argument 2 (COST) must be a whole number from 4 to 31, not 3",
    );
    expect(err.toString()).toBe(
      'secrets."test/secret".template: line 2, column 3: bcrypt: argument 2 (COST) must be a whole number from 4 to 31, not 3',
    );
  });

  it("a missing field passed to a helper is reported by the helper", () => {
    const err = failure(() => render(tpl("{{secret missing}}"), makeCtx()));
    expect(err.message).toBe(
      "line 1, column 1: secret: argument 1 (NAME) must be a string, not undefined",
    );
  });

  it("a secret value never appears in a render error", () => {
    const err = failure(() =>
      render(tpl('{{#with (secret "p")}}{{b}}{{/with}}'), makeCtx({ secrets: { p: "hunter2" } })),
    );
    expect(err.message).not.toContain("hunter2");
    expect(err.cause).toBeUndefined();
  });
});
