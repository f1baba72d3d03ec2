/**
 * ASG's spelling of declarations: `generation.KIND = { … }` normalises to the same declaration
 * as `KIND = { … }` (same hash) for every generator kind, except where its defaults differ
 * (random: all four classes; template: Go); `charset` as a set of classes; errors with field
 * paths.
 */
import { createHash } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { DeclarationError } from "../../src/declarations/problems.js";
import type { SecretDecl, TemplateSpec } from "../../src/declarations/types.js";
import { renderSpec } from "../../src/engine/render/index.js";
import { failure } from "../helpers/failures.js";
import { counting, makeCtx } from "../engine/support.js";
import { validateDeclarations } from "../../src/declarations/index.js";
import { checkTemplate, loadTemplateEngine } from "../../src/engine/template/index.js";

/** Both engines, loaded as a run loads them before rendering or checking. */
beforeAll(() => Promise.all([loadTemplateEngine("handlebars"), loadTemplateEngine("go")]));

const ADMIN = "age1pmrnxfflaurx5pqrutxd6f3pdh3vsnzr3lu0s85zdn8av0gnyysqvws06t";

function decl(secret: Record<string, unknown>): SecretDecl {
  const d = validateDeclarations(
    { admins: [ADMIN], secrets: { s: secret } },
    { readTemplate: (rel) => (rel === "t.tmpl" ? "{{ .x }}" : undefined), checkTemplate },
  );
  const s = d.secrets.get("s");
  if (s === undefined) throw new Error("no secret");
  return s;
}

function problems(secret: Record<string, unknown>): string[] {
  try {
    decl(secret);
  } catch (err) {
    if (err instanceof DeclarationError) return err.problems.map((p) => p.toString());
    throw err;
  }
  throw new Error("no problem reported");
}

describe("generation.KIND is another spelling of KIND", () => {
  // [kind, native settings, the same in the generation form]
  const table: [string, unknown, unknown][] = [
    ["random", { length: 24, charset: "hex" }, { length: 24, charset: "hex" }],
    ["random", { length: 72, charsets: {} }, { length: 72 }],
    ["random", { charsets: { special: false } }, { charset: { special: false } }],
    ["random", { bytes: 32, encoding: "base64" }, { bytes: 32, encoding: "base64" }],
    ["random", { alphabet: "abc" }, { alphabet: "abc" }],
    [
      "template",
      { content: "{{x}}", data: { x: 1 } },
      { engine: "handlebars", content: "{{x}}", data: { x: 1 } },
    ],
    [
      "template",
      { engine: "go", content: "{{ .x }}", data: { x: 1 } },
      { content: "{{ .x }}", data: { x: 1 } },
    ],
    ["template", { engine: "go", file: "t.tmpl" }, { file: "t.tmpl" }],
    [
      "json",
      { content: { a: { __secretgen: "secret", args: ["b"] } } },
      { content: { a: { __secretgen: "secret", args: ["b"] } } },
    ],
    ["wireguard", {}, {}],
    ["ssh-ed25519", {}, {}],
    ["age", {}, {}],
    [
      "script",
      { script: "echo hi", runtimeInputs: ["/usr"], runtimeInputNames: ["coreutils"] },
      { script: "echo hi", runtimeInputs: ["/usr"], runtimeInputNames: ["coreutils"] },
    ],
    ["manual", {}, {}],
  ];
  it.each(table)("%s: %j ≡ generation form %j", (kind, native, asg) => {
    const a = decl({ [kind]: native });
    const b = decl({ generation: { [kind]: asg } });
    // The same generator, but for where its messages point.
    const { spelling, ...generator } = b.generator as typeof b.generator & { spelling?: string };
    expect(generator).toStrictEqual(a.generator);
    expect(spelling).toBe(kind === "template" || kind === "json" ? "generation" : undefined);
    expect(b.declarationHash).toBe(a.declarationHash);
  });

  it("the defaults differ, as in ASG: random uses all classes, template is Go", () => {
    const nativeRandom = decl({ random: { length: 32 } });
    const asgRandom = decl({ generation: { random: { length: 32 } } });
    expect(nativeRandom.generator).toStrictEqual({ kind: "random", length: 32, charset: "alnum" });
    expect(asgRandom.generator).toStrictEqual({
      kind: "random",
      length: 32,
      charsets: { lowercase: true, uppercase: true, digits: true, special: true },
    });
    expect(asgRandom.declarationHash).not.toBe(nativeRandom.declarationHash);
    const hb = decl({ template: { content: "x" } });
    const gt = decl({ generation: { template: { content: "x" } } });
    expect(hb.generator).toMatchObject({ engine: "handlebars" });
    expect(gt.generator).toMatchObject({ engine: "go" });
    expect(gt.declarationHash).not.toBe(hb.declarationHash);
  });

  it("what hashes alike and what does not (as the READMEs say)", () => {
    // A default filled in hashes as the value written out.
    const dflt = decl({ random: {} }).declarationHash;
    expect(decl({ random: { charset: "alnum" } }).declarationHash).toBe(dflt);
    expect(decl({ random: { length: 32, charset: "alnum" } }).declarationHash).toBe(dflt);
    // A JSON marker is hashed as written: an ASG alias is another declaration (same value).
    const m = (fn: string, read: string) => ({
      json: { content: { x: { __secretgen: fn, args: [{ __secretgen: read, args: ["a"] }, 10] } } },
    });
    expect(decl(m("hashBcrypt", "readSecret")).declarationHash).not.toBe(
      decl(m("bcrypt", "secret")).declarationHash,
    );
  });

  it("a handlebars template hashes as before engines existed", () => {
    // The hash of {"data":{},"kind":"template","source":"x"}, unchanged by `engine`.
    const a = decl({ template: { content: "x" } });
    const b = decl({ template: { content: "x", engine: "handlebars" } });
    expect(a.declarationHash).toBe(b.declarationHash);
    const canonical = 'secretgen-declaration-v1\n{"data":{},"kind":"template","source":"x"}';
    expect(a.declarationHash).toBe(createHash("sha256").update(canonical).digest("hex"));
  });

  it("mixing both spellings is an error naming the secret", () => {
    expect(problems({ random: {}, generation: { random: {} } })).toStrictEqual([
      'secrets."s": declares its generator both as generation and natively (random); use one spelling',
    ]);
    expect(problems({ generation: { random: {}, manual: {} } })[0]).toMatch(
      /secrets\."s"\.generation: has 2 generators \(random, manual\)/,
    );
    expect(problems({ generation: {} })[0]).toMatch(/secrets\."s"\.generation: has no generator/);
    expect(problems({ generation: { randm: {} } })[0]).toMatch(
      /secrets\."s"\.generation\.randm: unknown field/,
    );
    expect(problems({ generation: "random" })[0]).toMatch(
      /secrets\."s"\.generation: must be an object/,
    );
  });

  it("errors inside the generation form carry its field path", () => {
    expect(problems({ generation: { random: { length: 0 } } })[0]).toMatch(
      /secrets\."s"\.generation\.random\.length: must be a whole number/,
    );
    expect(problems({ generation: { template: { content: "{{ if }}" } } })[0]).toMatch(
      /secrets\."s"\.generation\.template: line 1, column 7: missing value for if/,
    );
    expect(problems({ generation: { template: { content: "x", engine: "jinja" } } })[0]).toMatch(
      /secrets\."s"\.generation\.template\.engine: must be one of handlebars, go/,
    );
  });
});

describe("render-time problems of the generation form point into it", () => {
  it("a Go template's missing key, a JSON marker's bad argument", () => {
    const t = decl({ generation: { template: { content: "{{ .nope }}" } } });
    const j = decl({
      generation: { json: { content: { a: { __secretgen: "bcrypt", args: ["x", 3] } } } },
    });
    const ctx = makeCtx({ bytes: counting(0, 16) });
    const te = failure(() => renderSpec(t.generator, ctx));
    expect(te.field).toBe("generation.template");
    expect(te.message).toMatch(/map has no entry for key "nope"/);
    const je = failure(() => renderSpec(j.generator, ctx));
    expect(je.field).toBe("generation.json.content.a.args[1]");
    // Natively spelled, the same problems point at template and json.content.
    const nt = decl({ template: { engine: "go", content: "{{ .nope }}" } });
    expect(failure(() => renderSpec(nt.generator as TemplateSpec, makeCtx())).field).toBe(
      "template",
    );
  });
});

describe("charset as a set, as a string, and charsets", () => {
  it("a set of classes is charsets, same hash", () => {
    const a = decl({ random: { length: 32, charset: { special: false } } });
    const b = decl({ random: { length: 32, charsets: { special: false } } });
    expect(a.declarationHash).toBe(b.declarationHash);
    expect(a.generator).toStrictEqual({
      kind: "random",
      length: 32,
      charsets: { lowercase: true, uppercase: true, digits: true, special: false },
    });
  });

  it.each([
    [{ charset: { special: "no" } }, 'secrets."s".random.charset.special: must be true or false'],
    [{ charset: { bold: true } }, 'secrets."s".random.charset.bold: unknown field'],
    [
      { charset: { lowercase: false, uppercase: false, digits: false, special: false } },
      'secrets."s".random.charset: switches every character set off',
    ],
    [{ charset: "emoji" }, 'secrets."s".random.charset: must be one of alnum, hex'],
    [{ charset: 3 }, 'secrets."s".random.charset: must be one of alnum'],
    [{ charsets: { digits: 1 } }, 'secrets."s".random.charsets.digits: must be true or false'],
    [
      { charsets: { lowercase: false, uppercase: false, digits: false, special: false } },
      'secrets."s".random.charsets: switches every character set off',
    ],
    [
      { charset: { special: false }, charsets: {} },
      'secrets."s".random: give only one of charset, charsets, alphabet',
    ],
  ])("%j is refused", (random, message) => {
    expect(problems({ random })[0]).toContain(message);
    expect(problems({ generation: { random } })[0]).toContain(
      message.replace('secrets."s".random', 'secrets."s".generation.random'),
    );
  });
});
