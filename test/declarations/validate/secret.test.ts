/** One secret: unknown fields, its generator in either spelling, hosts, agenix settings, hash. */
import { describe, expect, it } from "vitest";
import { declarationHash } from "../../../src/declarations/hash.js";
import { GENERATOR_KINDS } from "../../../src/declarations/types.js";
import { validateSecret } from "../../../src/declarations/validate/secret.js";
import { ADMIN, WEB01, at, check } from "./support.js";

const HOSTS = new Map([["web01", [WEB01]]]);
const opts = { readTemplate: () => undefined };
const secret = (raw: unknown) => check((a) => validateSecret(a, raw, HOSTS, [ADMIN], opts));

describe("validateSecret: accepted", () => {
  it("the least: a generator; no hosts, the admins as recipients, armor off", () => {
    const generator = { kind: "random", length: 32, charset: "alnum" } as const;
    expect(secret({ random: {} })).toEqual({
      value: {
        name: "s",
        hosts: [],
        recipients: [ADMIN],
        armor: false,
        generator,
        declarationHash: declarationHash(generator),
      },
      problems: [],
    });
  });

  it("every setting", () => {
    const r = secret({
      hosts: ["web01"],
      owner: "root",
      group: "wheel",
      mode: "0440",
      path: "/run/keys/s",
      armor: true,
      manual: {},
    });
    expect(r.problems).toEqual([]);
    expect(r.value).toMatchObject({
      hosts: ["web01"],
      recipients: [ADMIN, WEB01],
      owner: "root",
      group: "wheel",
      mode: "0440",
      path: "/run/keys/s",
      armor: true,
      generator: { kind: "manual" },
    });
  });

  it("a three-digit mode", () => {
    expect(secret({ mode: "600", age: {} }).value).toMatchObject({ mode: "600" });
  });

  it("the generation form: the same hash as the native one where the defaults agree", () => {
    const native = secret({ random: { length: 9, charset: "hex" } }).value;
    const asg = secret({ generation: { random: { length: 9, charset: "hex" } } }).value;
    expect(asg?.declarationHash).toBe(native?.declarationHash);
  });
});

describe("validateSecret: rejected", () => {
  const table: [string, unknown, ReturnType<typeof at>[]][] = [
    ["not an object", "random", [at("", "must be an object, not a string")]],
    ["null", null, [at("", "must be an object, not null")]],
    [
      "an unknown field, and no generator",
      { hots: [] },
      [
        at("hots", `unknown field (generators: ${GENERATOR_KINDS.join(", ")})`),
        at("", `has no generator (one of: ${GENERATOR_KINDS.join(", ")}, or generation.KIND)`),
      ],
    ],
    [
      "a bad generator in the generation form: at generation.KIND",
      { generation: { random: { length: 0 } } },
      [at("generation.random.length", "must be a whole number from 1 to 4096, not 0")],
    ],
    [
      "a mode that is not octal",
      { mode: "0999", manual: {} },
      [at("mode", 'must be three or four octal digits like "0440", not "0999"')],
    ],
    [
      "a mode that is a number",
      { mode: 440, manual: {} },
      [at("mode", "must be a string, not a number")],
    ],
    [
      "a relative path",
      { path: "run/s", manual: {} },
      [at("path", 'must be an absolute path, not "run/s"')],
    ],
    [
      "an owner that is a number",
      { owner: 0, manual: {} },
      [at("owner", "must be a string, not a number")],
    ],
    [
      "a group that is a list",
      { group: [], manual: {} },
      [at("group", "must be a string, not a list")],
    ],
    [
      "armor that is a string",
      { armor: "yes", manual: {} },
      [at("armor", "must be true or false, not a string")],
    ],
    [
      "an unknown host",
      { hosts: ["web02"], manual: {} },
      [at("hosts[0]", 'unknown host "web02"', "declare it under hosts, or give a recipient")],
    ],
    [
      "everything at once, in order: fields, generator, hosts, settings, armor",
      { x: 1, random: { length: 0 }, hosts: "web01", group: 1, mode: "9", path: "p", armor: 1 },
      [
        at("x", `unknown field (generators: ${GENERATOR_KINDS.join(", ")})`),
        at("random.length", "must be a whole number from 1 to 4096, not 0"),
        at("hosts", "must be a list of strings, not a string"),
        at("group", "must be a string, not a number"),
        at("mode", 'must be three or four octal digits like "0440", not "9"'),
        at("path", 'must be an absolute path, not "p"'),
        at("armor", "must be true or false, not a number"),
      ],
    ],
  ];
  it.for(table)("%s", ([, raw, problems]) => {
    expect(secret(raw).problems).toEqual(problems);
  });

  it("a secret whose generator, hosts or armor is bad is not returned", () => {
    expect(secret({ random: { length: 0 } }).value).toBeUndefined();
    expect(secret({ random: {}, hosts: "web01" }).value).toBeUndefined();
    expect(secret({ random: {}, armor: 1 }).value).toBeUndefined();
  });
});
