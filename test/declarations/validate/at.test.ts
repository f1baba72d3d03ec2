/** The type-check helpers: each shape accepted, each wrong one reported at its field. */
import { describe, expect, it } from "vitest";
import { SecretgenError } from "../../../src/errors.js";
import { DeclarationError, Problems } from "../../../src/declarations/problems.js";
import { At, isObject, typeName, unknownKeys } from "../../../src/declarations/validate/at.js";
import { at, check } from "./support.js";

describe("isObject, typeName, unknownKeys", () => {
  it("an object is a non-null, non-list object", () => {
    expect([{}, { a: 1 }].map(isObject)).toEqual([true, true]);
    expect([null, [], "x", 1, undefined].map(isObject)).toEqual([
      false,
      false,
      false,
      false,
      false,
    ]);
  });

  it("names every kind of value", () => {
    expect([undefined, null, [], "x", 1, true, {}].map(typeName)).toEqual([
      "missing",
      "null",
      "a list",
      "a string",
      "a number",
      "a boolean",
      "a object",
    ]);
  });

  it("lists the unknown keys sorted, none when all are known", () => {
    expect(unknownKeys({ b: 1, a: 2, ok: 3 }, (k) => k === "ok")).toEqual(["a", "b"]);
    expect(unknownKeys({ ok: 1 }, (k) => k === "ok")).toEqual([]);
  });
});

describe("At", () => {
  it("object: accepts an object, reports a non-object and each unknown key", () => {
    expect(check((a) => a.object({ x: 1 }, "f", ["x"]))).toEqual({ value: { x: 1 }, problems: [] });
    expect(check((a) => a.object([], "f", ["x"]))).toEqual({
      value: undefined,
      problems: [at("f", "must be an object, not a list")],
    });
    const r = check((a) => a.object({ z: 1, y: 2, x: 3 }, "f", ["x", "w"]));
    expect(r.value).toEqual({ z: 1, y: 2, x: 3 });
    expect(r.problems).toEqual([
      at("f.y", "unknown field (expected one of: x, w)"),
      at("f.z", "unknown field (expected one of: x, w)"),
    ]);
    // A spec that takes no fields (a keypair) says so, not "expected one of: ".
    expect(check((a) => a.object({ x: 1 }, "wireguard", [])).problems).toEqual([
      at("wireguard.x", "unknown field (it takes none)"),
    ]);
  });

  it("record: any key, but an object", () => {
    expect(check((a) => a.record({ any: 1 }, "hosts")).problems).toEqual([]);
    expect(check((a) => a.record("x", "hosts")).problems).toEqual([
      at("hosts", "must be an object, not a string"),
    ]);
  });

  it("string, boolean", () => {
    expect(check((a) => a.string("v", "f"))).toEqual({ value: "v", problems: [] });
    expect(check((a) => a.string(undefined, "f")).problems).toEqual([
      at("f", "must be a string, not missing"),
    ]);
    expect(check((a) => a.boolean(false, "f"))).toEqual({ value: false, problems: [] });
    expect(check((a) => a.boolean("yes", "f")).problems).toEqual([
      at("f", "must be true or false, not a string"),
    ]);
  });

  it("stringList: every item a string, each bad one reported at its index", () => {
    expect(check((a) => a.stringList([], "f"))).toEqual({ value: [], problems: [] });
    expect(check((a) => a.stringList(["a", "b"], "f")).value).toEqual(["a", "b"]);
    expect(check((a) => a.stringList("a", "f"))).toEqual({
      value: undefined,
      problems: [at("f", "must be a list of strings, not a string")],
    });
    expect(check((a) => a.stringList(["a", 1, null], "f"))).toEqual({
      value: undefined,
      problems: [
        at("f[1]", "must be a string, not a number"),
        at("f[2]", "must be a string, not null"),
      ],
    });
  });

  it("integer: whole numbers within the bounds, the bad value quoted", () => {
    expect(check((a) => [a.integer(1, "f", 1, 3), a.integer(3, "f", 1, 3)])).toEqual({
      value: [1, 3],
      problems: [],
    });
    const bad: [unknown, string][] = [
      [0, "0"],
      [4, "4"],
      [1.5, "1.5"],
      ["2", '"2"'],
      [null, "null"],
      [undefined, "nothing"],
    ];
    for (const [v, shown] of bad) {
      expect(check((a) => a.integer(v, "f", 1, 3))).toEqual({
        value: undefined,
        problems: [at("f", `must be a whole number from 1 to 3, not ${shown}`)],
      });
    }
  });

  it("a problem can carry a hint; a top-level one has no secret", () => {
    expect(
      check((a) => {
        a.add("f", "m", "do this");
      }).problems,
    ).toEqual([at("f", "m", "do this")]);
    expect(
      check(
        (a) => {
          a.add("admins", "m");
        },
        { secret: null },
      ).problems,
    ).toEqual([{ secret: undefined, field: "admins", message: "m" }]);
  });

  it("within: fields go under the prefix; the empty field is the prefix itself", () => {
    const r = check((a) => {
      const g = a.within("generation");
      expect([g.path(""), g.path("random.length"), a.path("")]).toEqual([
        "generation",
        "generation.random.length",
        "",
      ]);
      g.add("random", "m");
      g.within("x").add("", "n");
    });
    expect(r.problems).toEqual([at("generation.random", "m"), at("generation.x", "n")]);
  });

  it("addError: a checker's error keeps its field, put under the prefix, and becomes exit 2", () => {
    const thrown = new SecretgenError("bad call", {
      field: "template",
      hint: "h",
      exitCode: 3,
      reason: "script",
    });
    const problems = new Problems();
    new At(problems, "s", "generation").addError(thrown, "template");
    new At(problems, "s").addError(thrown, "elsewhere");
    new At(problems, "s", "generation").addError(new SecretgenError("no field"), "template");
    expect(
      problems.list.map((e) => [e.secret, e.field, e.message, e.hint, e.exitCode, e.reason]),
    ).toEqual([
      ["s", "generation.template", "bad call", "h", 2, "declarations"],
      ["s", "template", "bad call", "h", 2, "declarations"],
      ["s", "generation.template", "no field", undefined, 2, "declarations"],
    ]);
  });

  it("addError: a checker's DeclarationError gives its problems; anything else is rethrown", () => {
    const problems = new Problems();
    const inner = new DeclarationError([new SecretgenError("one", { secret: "t", field: "x" })]);
    new At(problems, "s").addError(inner, "f");
    expect(problems.list.map((e) => e.toString())).toEqual(['secrets."t".x: one']);
    const bug = new TypeError("a bug");
    expect(() => {
      new At(problems, "s").addError(bug, "f");
    }).toThrow(bug);
  });
});
