/**
 * `template`: inline content or a file under templates/, the engine by spelling, and the
 * engine's check, whose errors keep their own field.
 */
import { describe, expect, it } from "vitest";
import { SecretgenError } from "../../../src/errors.js";
import { DeclarationError } from "../../../src/declarations/problems.js";
import type { TemplateEngine } from "../../../src/declarations/types.js";
import type { Spelling, ValidateOptions } from "../../../src/declarations/validate/options.js";
import { validateTemplate } from "../../../src/declarations/validate/template.js";
import { at, check } from "./support.js";

const FILES: Record<string, string> = { "a.tmpl": "from a file {{x}}" };
const readTemplate = (rel: string) => FILES[rel];

function template(
  raw: unknown,
  spelling: Spelling = "native",
  opts: Partial<ValidateOptions> = {},
) {
  return check((a) => validateTemplate(a, raw, { readTemplate, ...opts }, spelling));
}

describe("template: accepted", () => {
  it("inline content: handlebars, data {} by default", () => {
    expect(template({ content: "{{x}}" })).toEqual({
      value: { kind: "template", engine: "handlebars", source: "{{x}}", data: {} },
      problems: [],
    });
  });

  it("content's \\r\\n becomes \\n; data is kept as given", () => {
    expect(template({ content: "a\r\nb", data: { x: [1] } }).value).toEqual({
      kind: "template",
      engine: "handlebars",
      source: "a\nb",
      data: { x: [1] },
    });
  });

  it("engine go natively; handlebars and go in the generation form, go by default", () => {
    expect(template({ engine: "go", content: "{{ .x }}" }).value).toMatchObject({ engine: "go" });
    expect(template({ content: "{{ .x }}" }, "generation").value).toEqual({
      kind: "template",
      engine: "go",
      source: "{{ .x }}",
      data: {},
      spelling: "generation",
    });
    expect(template({ engine: "handlebars", content: "{{x}}" }, "generation").value).toMatchObject({
      engine: "handlebars",
      spelling: "generation",
    });
  });

  it("a file: read through readTemplate, its name kept (not hashed)", () => {
    expect(template({ file: "a.tmpl", data: { x: 1 } }).value).toEqual({
      kind: "template",
      engine: "handlebars",
      source: "from a file {{x}}",
      data: { x: 1 },
      file: "a.tmpl",
    });
  });

  it("checkTemplate is given the source, the secret and the engine", () => {
    const calls: [string, string, TemplateEngine][] = [];
    const checkTemplate = (source: string, secret: string, engine: TemplateEngine) => {
      calls.push([source, secret, engine]);
    };
    template({ content: "x\r\n" }, "native", { checkTemplate });
    template({ file: "a.tmpl" }, "generation", { checkTemplate });
    expect(calls).toEqual([
      ["x\n", "s", "handlebars"],
      ["from a file {{x}}", "s", "go"],
    ]);
  });
});

describe("template: rejected", () => {
  const table: [string, unknown, ReturnType<typeof at>[]][] = [
    ["not an object", "{{x}}", [at("template", "must be an object, not a string")]],
    [
      "an unknown engine",
      { engine: "jinja", content: "x" },
      [at("template.engine", "must be one of handlebars, go")],
    ],
    [
      "an engine that is not a string",
      { engine: 1, content: "x" },
      [at("template.engine", "must be one of handlebars, go")],
    ],
    [
      "neither content nor file",
      { data: {} },
      [at("template", "needs exactly one of content or file")],
    ],
    [
      "both content and file",
      { content: "x", file: "a.tmpl" },
      [at("template", "needs exactly one of content or file")],
    ],
    [
      "content not a string",
      { content: ["x"] },
      [at("template.content", "must be a string, not a list")],
    ],
    ["file not a string", { file: 3 }, [at("template.file", "must be a string, not a number")]],
    [
      "a file that does not exist",
      { file: "b.tmpl" },
      [at("template.file", "templates/b.tmpl does not exist")],
    ],
  ];
  it.for(table)("%s", ([, raw, problems]) => {
    expect(template(raw)).toEqual({ value: undefined, problems });
  });

  it("unknown fields are reported, and the template is still read", () => {
    const r = template({ content: "x", extra: 1 });
    expect(r.value).toMatchObject({ source: "x" });
    expect(r.problems).toEqual([
      at("template.extra", "unknown field (expected one of: content, file, data, engine)"),
    ]);
  });

  it("a file that cannot be read: readTemplate's error, at template.file", () => {
    const readTemplate = () => {
      throw new SecretgenError("templates/a.tmpl is not valid UTF-8 (byte offset 3)");
    };
    expect(template({ file: "a.tmpl" }, "native", { readTemplate })).toEqual({
      value: undefined,
      problems: [at("template.file", "templates/a.tmpl is not valid UTF-8 (byte offset 3)")],
    });
  });

  it("an error that is not secretgen's (a bug) is not swallowed", () => {
    const readTemplate = () => {
      throw new TypeError("bug");
    };
    expect(() => template({ file: "a.tmpl" }, "native", { readTemplate })).toThrow(TypeError);
  });

  it("checkTemplate's error: at template, or at its own field, under generation when so spelled", () => {
    const fails = (field?: string) => () => {
      throw new SecretgenError("unknown helper foo", { field, hint: "h" });
    };
    expect(template({ content: "x" }, "native", { checkTemplate: fails() }).problems).toEqual([
      at("template", "unknown helper foo", "h"),
    ]);
    expect(
      check((a) =>
        validateTemplate(
          a.within("generation"),
          { content: "x" },
          { readTemplate, checkTemplate: fails("template.content") },
          "generation",
        ),
      ),
    ).toEqual({
      value: undefined,
      problems: [at("generation.template.content", "unknown helper foo", "h")],
    });
  });

  it("checkTemplate's DeclarationError gives each of its problems", () => {
    const checkTemplate = () => {
      throw new DeclarationError([
        new SecretgenError("one", { secret: "s", field: "template" }),
        new SecretgenError("two", { secret: "s", field: "template" }),
      ]);
    };
    expect(
      template({ content: "x" }, "native", { checkTemplate }).problems.map((p) => p.message),
    ).toEqual(["one", "two"]);
  });
});
