/** `script`: its defaults, runtime inputs and their names, dependencies, and the timeout. */
import { describe, expect, it } from "vitest";
import { validateScript } from "../../../src/declarations/validate/script.js";
import { at, check } from "./support.js";

const script = (raw: unknown) => check((a) => validateScript(a, raw));
const HASH = "0123456789abcdfghijklmnpqrsvwxyz";

describe("script: accepted", () => {
  it("only the script: no inputs, no dependencies, 60 seconds", () => {
    expect(script({ script: "echo x" })).toEqual({
      value: {
        kind: "script",
        script: "echo x",
        runtimeInputs: [],
        runtimeInputNames: [],
        dependencies: [],
        timeout: 60,
      },
      problems: [],
    });
  });

  it("\\r\\n in the script becomes \\n", () => {
    expect(script({ script: "a\r\nb\r\n" }).value).toMatchObject({ script: "a\nb\n" });
  });

  it("runtime inputs: store paths named without their hash, other paths as they are", () => {
    expect(
      script({ script: "x", runtimeInputs: [`/nix/store/${HASH}-openssl-3.0.14`, "/usr/local"] })
        .value,
    ).toMatchObject({
      runtimeInputs: [`/nix/store/${HASH}-openssl-3.0.14`, "/usr/local"],
      runtimeInputNames: ["openssl-3.0.14", "/usr/local"],
    });
  });

  it("runtime input names given are kept", () => {
    expect(
      script({ script: "x", runtimeInputs: ["/a"], runtimeInputNames: ["tool"] }).value,
    ).toMatchObject({ runtimeInputs: ["/a"], runtimeInputNames: ["tool"] });
  });

  it("dependencies sorted, each once", () => {
    expect(script({ script: "x", dependencies: ["b", "a/x", "b"] }).value).toMatchObject({
      dependencies: ["a/x", "b"],
    });
  });

  it("timeouts from 1 second to a day", () => {
    expect(script({ script: "x", timeout: 1 }).value).toMatchObject({ timeout: 1 });
    expect(script({ script: "x", timeout: 86400 }).value).toMatchObject({ timeout: 86400 });
  });
});

describe("script: rejected", () => {
  const timeout = (v: string) =>
    at("script.timeout", `must be a whole number from 1 to 86400, not ${v}`);
  const table: [string, unknown, ReturnType<typeof at>[]][] = [
    ["not an object", "echo", [at("script", "must be an object, not a string")]],
    ["no script", {}, [at("script.script", "must be a string, not missing")]],
    [
      "a script that is a list",
      { script: ["echo"] },
      [at("script.script", "must be a string, not a list")],
    ],
    [
      "runtime inputs not a list",
      { script: "x", runtimeInputs: "/a" },
      [at("script.runtimeInputs", "must be a list of strings, not a string")],
    ],
    [
      "a runtime input that is not a string",
      { script: "x", runtimeInputs: ["/a", 1] },
      [at("script.runtimeInputs[1]", "must be a string, not a number")],
    ],
    [
      "dependencies not a list",
      { script: "x", dependencies: { a: 1 } },
      [at("script.dependencies", "must be a list of strings, not a object")],
    ],
    ["timeout 0", { script: "x", timeout: 0 }, [timeout("0")]],
    ["timeout over a day", { script: "x", timeout: 86401 }, [timeout("86401")]],
    ["timeout a string", { script: "x", timeout: "60" }, [timeout('"60"')]],
    [
      "every bad field at once",
      { script: 1, runtimeInputs: [2], runtimeInputNames: "n", dependencies: [3], timeout: -1 },
      [
        at("script.script", "must be a string, not a number"),
        at("script.runtimeInputs[0]", "must be a string, not a number"),
        at("script.runtimeInputNames", "must be a list of strings, not a string"),
        at("script.dependencies[0]", "must be a string, not a number"),
        timeout("-1"),
      ],
    ],
  ];
  it.for(table)("%s", ([, raw, problems]) => {
    expect(script(raw)).toEqual({ value: undefined, problems });
  });

  it("reported, with the spec still read: unknown fields, relative inputs, nested dependencies", () => {
    const r = script({
      script: "x",
      env: {},
      runtimeInputs: ["bin", "/ok", "./x"],
      dependencies: ["a", "a/b", "c"],
    });
    expect(r.value).toMatchObject({
      runtimeInputs: ["bin", "/ok", "./x"],
      dependencies: ["a", "a/b", "c"],
    });
    expect(r.problems).toEqual([
      at(
        "script.env",
        "unknown field (expected one of: script, runtimeInputs, runtimeInputNames, dependencies, timeout)",
      ),
      at("script.dependencies", '"a" and "a/b" cannot both be files under $SECRETS_DIR'),
      at("script.runtimeInputs[0]", 'must be an absolute path, not "bin"'),
      at("script.runtimeInputs[2]", 'must be an absolute path, not "./x"'),
    ]);
  });
});
