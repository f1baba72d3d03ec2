/**
 * Which generator a secret has and how it is spelled (`KIND` or `generation.KIND`), and the
 * kinds with no settings (keypairs, manual). The kinds with settings have their own tests.
 */
import { describe, expect, it } from "vitest";
import { GENERATOR_KINDS, type GeneratorKind } from "../../../src/declarations/types.js";
import { generatorOf, validateGenerator } from "../../../src/declarations/validate/generator.js";
import { at, check } from "./support.js";

const KINDS = GENERATOR_KINDS.join(", ");
const opts = { readTemplate: () => undefined };

describe("generatorOf", () => {
  it.for(GENERATOR_KINDS)("%s natively, and as generation.%s", (kind) => {
    expect(check((a) => generatorOf(a, { [kind]: {}, hosts: [] }))).toEqual({
      value: { kind, spelling: "native" },
      problems: [],
    });
    expect(check((a) => generatorOf(a, { generation: { [kind]: {} } }))).toEqual({
      value: { kind, spelling: "generation" },
      problems: [],
    });
  });

  const table: [string, Record<string, unknown>, ReturnType<typeof at>[]][] = [
    ["none", { hosts: [] }, [at("", `has no generator (one of: ${KINDS}, or generation.KIND)`)]],
    [
      "two",
      { random: {}, manual: {} },
      [at("", "has 2 generators (random, manual); exactly one is allowed")],
    ],
    [
      "both spellings",
      { generation: { random: {} }, random: {}, json: {} },
      [
        at(
          "",
          "declares its generator both as generation and natively (random, json); use one spelling",
        ),
      ],
    ],
    [
      "generation not an object",
      { generation: "random" },
      [at("generation", "must be an object, not a string")],
    ],
    [
      "generation empty",
      { generation: {} },
      [at("generation", `has no generator (one of: ${KINDS})`)],
    ],
    [
      "generation with two",
      { generation: { random: {}, json: {} } },
      [at("generation", "has 2 generators (random, json); exactly one is allowed")],
    ],
    [
      "generation with an unknown key only",
      { generation: { randm: {} } },
      [
        at("generation.randm", `unknown field (expected one of: ${KINDS})`),
        at("generation", `has no generator (one of: ${KINDS})`),
      ],
    ],
  ];
  it.for(table)("rejected: %s", ([, raw, problems]) => {
    expect(check((a) => generatorOf(a, raw))).toEqual({ value: undefined, problems });
  });

  it("an undefined generation is no generation form; null is a malformed one", () => {
    expect(check((a) => generatorOf(a, { generation: null, age: {} })).problems).toEqual([
      at("", "declares its generator both as generation and natively (age); use one spelling"),
    ]);
    expect(check((a) => generatorOf(a, { generation: null })).problems).toEqual([
      at("generation", "must be an object, not null"),
    ]);
    expect(check((a) => generatorOf(a, { generation: undefined, age: {} })).value).toEqual({
      kind: "age",
      spelling: "native",
    });
  });
});

describe("validateGenerator", () => {
  const bare: GeneratorKind[] = ["wireguard", "ssh-ed25519", "age", "manual"];

  it.for(bare)("%s: {} is its only shape", (kind) => {
    expect(check((a) => validateGenerator(a, kind, {}, opts, "native"))).toEqual({
      value: { kind },
      problems: [],
    });
    expect(check((a) => validateGenerator(a, kind, null, opts, "native"))).toEqual({
      value: undefined,
      problems: [at(kind, "must be an object, not null")],
    });
    expect(check((a) => validateGenerator(a, kind, { bits: 1 }, opts, "native"))).toEqual({
      value: { kind },
      problems: [at(`${kind}.bits`, "unknown field (it takes none)")],
    });
  });

  it("each kind with settings goes to its own validator, under the prefix", () => {
    const under = (kind: GeneratorKind, raw: unknown) =>
      check((a) => validateGenerator(a.within("generation"), kind, raw, opts, "generation"));
    expect(under("random", {}).value).toMatchObject({ kind: "random", charsets: {} });
    expect(under("template", { content: "x" }).value).toMatchObject({ engine: "go" });
    expect(under("json", { content: 1 }).value).toEqual({
      kind: "json",
      content: 1,
      spelling: "generation",
    });
    expect(under("script", { script: "x" }).value).toMatchObject({ kind: "script", timeout: 60 });
    expect(under("script", {}).problems).toEqual([
      at("generation.script.script", "must be a string, not missing"),
    ]);
  });
});
