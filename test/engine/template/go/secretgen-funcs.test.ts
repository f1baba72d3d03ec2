/**
 * Go templates with secretgen's functions: known answers for their entropy use (fixed bytes →
 * exact output, as in docs/formats.md), the same logic written in both engines draws the same
 * bytes and gives the same value, dependencies are discovered by restart, and every problem is
 * a usage error naming the secret, field `template` and the line and column.
 */
import { beforeAll, describe, expect, it } from "vitest";
import type { TemplateSpec } from "../../../../src/declarations/types.js";
import { NeedSecret } from "../../../../src/engine/context.js";
import {
  checkTemplate,
  loadTemplateEngine,
  renderTemplate as render,
} from "../../../../src/engine/template/index.js";
import { FUNCTION_NAME_LIST } from "../../../../src/declarations/function-names.js";
import {
  SECRETGEN_FUNCTION_NAMES,
  secretgenFuncs,
} from "../../../../src/engine/template/go/secretgen-funcs.js";
import { SecretgenError } from "../../../../src/errors.js";
import { failure } from "../../../helpers/failures.js";
import { counting, hex, makeCtx } from "../../support.js";

/** Both engines, loaded as a run loads them before rendering or checking. */
beforeAll(() => Promise.all([loadTemplateEngine("handlebars"), loadTemplateEngine("go")]));

/** Runs `fn`, which must fail with a SecretgenError matching `want`. */
function expectFailure(
  fn: () => unknown,
  want: { secret?: string; field?: string; message: RegExp },
): void {
  const err = failure(fn);
  if (want.secret !== undefined) expect(err.secret).toBe(want.secret);
  if (want.field !== undefined) expect(err.field).toBe(want.field);
  expect(err.message).toMatch(want.message);
}

function go(source: string, data: unknown = {}): TemplateSpec {
  return { kind: "template", engine: "go", source, data };
}

function hbs(source: string, data: unknown = {}): TemplateSpec {
  return { kind: "template", source, data };
}

function text(spec: TemplateSpec, ctx: ReturnType<typeof makeCtx>): string {
  return Buffer.from(render(spec, ctx).value).toString("utf8");
}

describe("Go templates: known answers (docs/formats.md)", () => {
  it("random and fmt over fixed bytes, in evaluation order", () => {
    // The handlebars example of docs/formats.md, written as a Go template.
    const ctx = makeCtx({ bytes: hex("de ad fa 07 0c 00") });
    const out = text(go('{{random 2 "hex"}}-{{concat (random 2 "digits") (random 1)}}'), ctx);
    expect(out).toBe("ed-72A");
    expect(ctx.entropy.consumed()).toEqual(hex("de ad fa 07 0c 00"));
  });

  it("hashBcrypt (readSecret NAME) COST takes the salt from the stream", () => {
    const ctx = makeCtx({ bytes: counting(0, 16), secrets: { pw: "password" } });
    expect(text(go('{{hashBcrypt (readSecret "pw") 4}}'), ctx)).toBe(
      "$2b$04$..CA.uOD/eaGAOmJB.yMBubqEtzdkvfegxfotQ8UAMQWLlq7JbHJW",
    );
  });

  it("the post's htpasswd template, verbatim", () => {
    const source =
      "{{- range .myPasswords -}}\n{{ . }}:{{ hashBcrypt (readSecret .) 4 }}\n{{ end -}}\n";
    const ctx = makeCtx({
      bytes: [...counting(0, 16), ...counting(16, 16)],
      secrets: { "user-password-1": "password", "user-password-2": "other" },
    });
    const out = text(go(source, { myPasswords: ["user-password-1", "user-password-2"] }), ctx);
    const lines = out.split("\n");
    expect(lines).toHaveLength(3);
    expect(lines[0]).toBe(
      "user-password-1:$2b$04$..CA.uOD/eaGAOmJB.yMBubqEtzdkvfegxfotQ8UAMQWLlq7JbHJW",
    );
    expect(lines[1]).toMatch(/^user-password-2:\$2b\$04\$/);
    expect(lines[2]).toBe("");
  });

  it("a pipeline's piped value is computed before the next command's own arguments", () => {
    const ctx = makeCtx({ bytes: [0, 1] });
    expect(text(go('{{random 1 | printf "%s-%s" (random 1)}}'), ctx)).toBe("B-A");
  });

  it("and/or stop at the first deciding argument: the rest are never evaluated, never draw", () => {
    const ctx = makeCtx({ bytes: [0] });
    expect(text(go('{{or "x" (random 4)}}{{and "" (random 4)}}{{random 1}}'), ctx)).toBe("xA");
    expect(ctx.entropy.consumed()).toEqual(Uint8Array.from([0]));
  });

  it("range over a map walks its keys in sorted order, whatever the data's order", () => {
    const a = makeCtx({ bytes: [0, 1, 2] });
    const b = makeCtx({ bytes: [0, 1, 2] });
    const src = "{{range $k, $v := .}}{{$k}}{{random 1}}{{end}}";
    expect(text(go(src, { b: 1, a: 2, c: 3 }), a)).toBe("aAbBcC");
    expect(text(go(src, { c: 3, a: 2, b: 1 }), b)).toBe("aAbBcC");
  });

  it("fmt is Go's Sprintf for %s %d %v %q %x %%", () => {
    const ctx = makeCtx();
    expect(text(go('{{fmt "%s|%d|%v|%q|%x|%%" "a" 42 .f "q\\"" "hi"}}', { f: 2.5 }), ctx)).toBe(
      'a|42|2.5|"q\\""|6869|%',
    );
    expect(text(go('{{fmt "user-passwords/%s" .}}', "alice"), ctx)).toBe("user-passwords/alice");
  });
});

describe("the same logic in both engines", () => {
  const secrets = { "user-passwords/alice": "pa", "user-passwords/bob": "pb" };
  const data = { users: ["alice", "bob"], n: { b: 2, a: 1 } };
  const pairs: [string, string, string][] = [
    [
      "htpasswd",
      '{{#each users}}{{this}}:{{bcrypt (secret (concat "user-passwords/" this)) 4}}\n{{/each}}',
      '{{range .users}}{{.}}:{{bcrypt (secret (concat "user-passwords/" .)) 4}}\n{{end}}',
    ],
    [
      "random strings",
      '{{random 8}}.{{random 4 charset="hex"}}.{{random 6 charsets=n}}',
      '{{random 8}}.{{random 4 "hex"}}.{{random 6 .n}}',
    ],
    [
      "map walk order",
      "{{#each n}}{{@key}}={{random 3}};{{/each}}",
      "{{range $k, $v := .n}}{{$k}}={{random 3}};{{end}}",
    ],
    [
      "functions",
      '{{sha256 (base64 (trim " x "))}}{{json n}}',
      '{{sha256 (base64 (trim " x "))}}{{json .n}}',
    ],
  ];
  for (const [what, h, g] of pairs) {
    it(what, () => {
      const bytes = counting(7, 200);
      const a = makeCtx({ bytes, secrets });
      const b = makeCtx({ bytes, secrets });
      const ha = text(hbs(h, { ...data, n: { lowercase: false } }), a);
      const gb = text(go(g, { ...data, n: { lowercase: false } }), b);
      expect(gb).toBe(ha);
      expect(b.entropy.consumed()).toEqual(a.entropy.consumed());
    });
  }
});

describe("Go templates: the function names", () => {
  it("are the shared functions' names, canonical and ASG's, and all are callable", () => {
    const names = [...secretgenFuncs(makeCtx(), "", "template").keys()].sort();
    expect(names).toStrictEqual([...SECRETGEN_FUNCTION_NAMES].sort());
    expect(names).toStrictEqual([...FUNCTION_NAME_LIST].sort());
  });
});

describe("Go templates: dependencies and problems", () => {
  it("a secret not resolved yet restarts the render (NeedSecret), in evaluation order", () => {
    const ctx = makeCtx({ bytes: counting(0, 32), pending: ["later"] });
    expect(() => render(go('{{random 2}}{{readSecret "later"}}'), ctx)).toThrow(NeedSecret);
  });

  it("a missing key is an error naming the key, never <no value>", () => {
    expectFailure(() => render(go("a\n  {{ .nope }}"), makeCtx()), {
      secret: "test/secret",
      field: "template",
      message: /^line 2, column 6: map has no entry for key "nope"/,
    });
    expectFailure(() => render(go("{{ .z }}", { z: null }), makeCtx()), {
      field: "template",
      message: /line 1, column 4: the value is nil/,
    });
  });

  it.for([
    ['{{ printf "%s" .z }}', "error calling printf: a value is nil (Go would print <nil>)"],
    ['{{ printf "%d" .z }}', "error calling printf: a value is nil (Go would print <nil>)"],
    ["{{ print .z }}", "error calling print: a value is nil (Go would print <nil>)"],
    ['{{ println "a" .z }}', "error calling println: a value is nil (Go would print <nil>)"],
    ['{{ html .z "x" }}', "error calling html: a value is nil (Go would print <no value>)"],
    ["{{ .list }}", "a list or map holds a nil value (Go would print <nil>)"],
    [
      '{{ printf "%s %s" "a" }}',
      "error calling printf: %s has no value left to format (Go would print %!s(MISSING))",
    ],
    [
      '{{ printf "%s" "a" "b" }}',
      "error calling printf: 1 value more than the format's verbs (Go would print %!(EXTRA …))",
    ],
    [
      '{{ printf "%d" (readSecret "user-passwords/alice") }}',
      "error calling printf: %d cannot format a value of type string (Go would print %!d(…))",
    ],
    [
      '{{ printf "a%" }}',
      "error calling printf: the format ends in a % without a verb (Go would print %!(NOVERB))",
    ],
    [
      '{{ printf "%*d" "w" 1 }}',
      "error calling printf: a * width has no int value (Go would print %!(BADWIDTH))",
    ],
  ] as const)(
    "printing what Go shows as a marker is an error, not text in a secret: %s",
    ([source, message]) => {
      const ctx = makeCtx({ secrets: { "user-passwords/alice": "hunter2" } });
      const err = failure(() => render(go(source, { z: null, list: [1, null] }), ctx));
      expect(err.exitCode).toBe(2);
      expect(err.field).toBe("template");
      expect(err.message.replace(/^line 1, column \d+: /, "")).toBe(message);
      expect(err.message).not.toContain("hunter2");
    },
  );

  it("printing values Go prints as values still works", () => {
    const out = text(
      go('{{ printf "%s-%d-%v-%5.2f-%x" "a" 3 .list .f "hi" }} {{ print 1 2 }} {{ html "<" }}', {
        list: [1, "b"],
        f: 2.5,
      }),
      makeCtx(),
    );
    expect(out).toBe("a-3-[1 b]- 2.50-6869 1 2 &lt;");
  });

  it("parse errors point to the line and column and are found when validating", () => {
    for (const [source, message] of [
      ["ok\n{{ if .a }}", /^line 2, column 12: unexpected EOF/],
      ["{{ nosuch 1 }}", /^line 1, column 4: function "nosuch" not defined/],
      ["{{ .a | 1 }}", /^line 1, column 9: non executable command in pipeline stage 2/],
      ["{{ $x }}", /^line 1, column 4: undefined variable "\$x"/],
      ["{{ break }}", /outside \{\{range\}\}/],
      ['{{ "\\xff" }}', /byte escape above/],
    ] as const) {
      let err: unknown;
      try {
        checkTemplate(source, "s", "go");
      } catch (e) {
        err = e;
      }
      expect(err, source).toBeInstanceOf(SecretgenError);
      expect((err as SecretgenError).secret).toBe("s");
      expect((err as SecretgenError).field).toBe("template");
      expect((err as SecretgenError).message).toMatch(message);
    }
    // Handlebars syntax is not Go syntax, and the reverse.
    expect(() => {
      checkTemplate("{{#each x}}{{/each}}", "s", "go");
    }).toThrow(SecretgenError);
    expect(() => {
      checkTemplate("{{- range .x -}}{{ end -}}", "s", "handlebars");
    }).toThrow(SecretgenError);
  });

  it("an error never shows a value (it may be a secret)", () => {
    const err = failure(() =>
      render(go('{{ range readSecret "pw" }}{{ end }}'), makeCtx({ secrets: { pw: "hunter2" } })),
    );
    expect(err.message).toMatch(/range can't iterate over a value of type string/);
    expect(err.message).not.toContain("hunter2");
  });

  it("bad arguments of secretgen's functions are usage errors with the call's place", () => {
    expectFailure(() => render(go('{{hashBcrypt "x" 3}}'), makeCtx({ bytes: counting(0, 16) })), {
      field: "template",
      message: /^line 1, column 3: bcrypt: argument 2 \(COST\) must be a whole number from 4 to 31/,
    });
    expectFailure(() => render(go('{{fmt "%5d" 1}}'), makeCtx()), {
      field: "template",
      message: /fmt: argument 1 \(FORMAT\) may only use the verbs/,
    });
    expectFailure(() => render(go('{{fmt "%d" "x"}}'), makeCtx()), {
      message: /%d cannot format value 1/,
    });
    expectFailure(() => render(go('{{fmt "%s %s" "x"}}'), makeCtx()), {
      message: /more verbs than the 1 values/,
    });
    // Go's typing: a JSON number is a float64, not an int.
    expectFailure(() => render(go('{{hashBcrypt "x" .c}}', { c: 10 }), makeCtx()), {
      message: /wrong type for value; expected int; got float64/,
    });
  });
});
