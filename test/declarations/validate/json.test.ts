/** `json`: any JSON content; markers must name known functions before the engine's check. */
import { describe, expect, it } from "vitest";
import { SecretgenError } from "../../../src/errors.js";
import { FUNCTION_NAME_LIST } from "../../../src/declarations/function-names.js";
import { validateJson } from "../../../src/declarations/validate/json.js";
import type { Spelling, ValidateOptions } from "../../../src/declarations/validate/options.js";
import { at, check } from "./support.js";

const readTemplate = () => undefined;
function json(raw: unknown, spelling: Spelling = "native", opts: Partial<ValidateOptions> = {}) {
  return check((a) => validateJson(a, raw, { readTemplate, ...opts }, spelling));
}

describe("json: accepted", () => {
  it.for([{ a: 1 }, [1, "x"], "text", 0, null, false])("content %j", (content) => {
    expect(json({ content })).toEqual({ value: { kind: "json", content }, problems: [] });
  });

  it("the generation form remembers its spelling", () => {
    expect(json({ content: 1 }, "generation").value).toEqual({
      kind: "json",
      content: 1,
      spelling: "generation",
    });
  });

  it("markers of every known function, at any depth", () => {
    const content = {
      list: FUNCTION_NAME_LIST.map((fn) => ({ __secretgen: fn, args: [] })),
      deep: { x: [{ y: { __secretgen: "secret", args: ["other"] } }] },
    };
    expect(json({ content }).problems).toEqual([]);
  });

  it("checkJson is given the content, the secret and json.content", () => {
    const calls: unknown[] = [];
    const content = { __secretgen: "random", args: [8] };
    json({ content }, "native", { checkJson: (...args) => calls.push(args) });
    expect(calls).toEqual([[content, "s", "json.content"]]);
  });
});

describe("json: rejected", () => {
  const table: [string, unknown, ReturnType<typeof at>[], unknown][] = [
    ["not an object", "x", [at("json", "must be an object, not a string")], undefined],
    ["no content", {}, [at("json.content", "is required")], undefined],
    [
      "an unknown field",
      { content: 1, value: 2 },
      [at("json.value", "unknown field (expected one of: content)")],
      { kind: "json", content: 1 },
    ],
    [
      "an unknown function",
      { content: { a: { __secretgen: "nope" } } },
      [at("json.content.a.__secretgen", 'unknown function "nope"')],
      { kind: "json", content: { a: { __secretgen: "nope" } } },
    ],
    [
      "a function name that is not a string, in a list",
      { content: [1, { __secretgen: 5 }] },
      [at("json.content[1].__secretgen", "unknown function a number")],
      { kind: "json", content: [1, { __secretgen: 5 }] },
    ],
    [
      "several unknown functions: each, in key order, inside markers too",
      {
        content: {
          b: { __secretgen: "x" },
          a: { __secretgen: "concat", args: [{ __secretgen: "y" }] },
        },
      },
      [
        at("json.content.a.args[0].__secretgen", 'unknown function "y"'),
        at("json.content.b.__secretgen", 'unknown function "x"'),
      ],
      {
        kind: "json",
        content: {
          b: { __secretgen: "x" },
          a: { __secretgen: "concat", args: [{ __secretgen: "y" }] },
        },
      },
    ],
  ];
  it.for(table)("%s", ([, raw, problems, value]) => {
    expect(json(raw)).toEqual({ value, problems });
  });

  it("with an unknown function, checkJson is not called", () => {
    let called = false;
    json({ content: { __secretgen: "nope" } }, "native", { checkJson: () => (called = true) });
    expect(called).toBe(false);
  });

  it("checkJson's error: at its own field or json.content, under generation when so spelled", () => {
    const fails = (field?: string) => () => {
      throw new SecretgenError("random: LENGTH must be a whole number", { field });
    };
    expect(json({ content: 1 }, "native", { checkJson: fails("json.content.a") })).toEqual({
      value: undefined,
      problems: [at("json.content.a", "random: LENGTH must be a whole number")],
    });
    expect(
      check((a) =>
        validateJson(
          a.within("generation"),
          { content: 1 },
          { readTemplate, checkJson: fails() },
          "generation",
        ),
      ).problems,
    ).toEqual([at("generation.json.content", "random: LENGTH must be a whole number")]);
  });
});
