/**
 * The top level: admins, hosts and secrets together; names and collisions; script dependencies
 * on declared secrets; every problem thrown as one DeclarationError.
 */
import { describe, expect, it } from "vitest";
import { DeclarationError, validateDeclarations } from "../../../src/declarations/index.js";
import { ADMIN, WEB01 } from "./support.js";

const opts = { readTemplate: () => undefined };

function problems(raw: unknown): string[] {
  try {
    validateDeclarations(raw, opts);
  } catch (err) {
    if (err instanceof DeclarationError) return err.problems.map((p) => p.toString());
    throw err;
  }
  throw new Error("no problem reported");
}

describe("validateDeclarations: accepted", () => {
  it("admins sorted and each once, hosts as normalised, secrets in name order", () => {
    const d = validateDeclarations(
      {
        admins: [ADMIN, `${WEB01} me`, ADMIN],
        hosts: { web01: [`${WEB01} root@web01`], later: null },
        secrets: { b: { hosts: ["web01"], age: {} }, a: { random: {} } },
      },
      opts,
    );
    expect(d.admins).toEqual([ADMIN, WEB01]);
    expect(d.hosts).toEqual({ later: [], web01: [WEB01] });
    expect([...d.secrets.keys()]).toEqual(["a", "b"]);
    expect(d.secrets.get("b")?.recipients).toEqual([ADMIN, WEB01]);
  });

  it("no secrets yet", () => {
    expect(validateDeclarations({ admins: [ADMIN], secrets: {} }, opts).secrets.size).toBe(0);
  });

  it("a script may depend on any declared secret, itself declared before or after", () => {
    const d = validateDeclarations(
      {
        admins: [ADMIN],
        secrets: {
          z: { random: {} },
          a: { script: { script: "x", dependencies: ["z", "b/c"] } },
          "b/c": { manual: {} },
        },
      },
      opts,
    );
    expect(d.secrets.get("a")?.generator).toMatchObject({ dependencies: ["b/c", "z"] });
  });
});

describe("validateDeclarations: rejected", () => {
  it("not an object: only that", () => {
    expect(problems([1])).toEqual(["declarations: must be an object, not a list"]);
    expect(problems(null)).toEqual(["declarations: must be an object, not null"]);
  });

  it("an unknown top-level field, no admins, secrets missing", () => {
    expect(problems({ hosts: {}, secret: {} })).toEqual([
      "declarations.secret: unknown field (expected one of: admins, hosts, secrets)",
      "admins: needs at least one admin recipient",
      "secrets: is missing",
    ]);
  });

  it("the hints of the top-level problems", () => {
    try {
      validateDeclarations({}, opts);
    } catch (err) {
      if (!(err instanceof DeclarationError)) throw err;
      expect(err.problems.map((p) => p.hint)).toEqual([
        "run `secretgen init` and add its recipient",
        'declare them as an object, "secrets": {} for none yet',
      ]);
      expect(err.problems.map((p) => [p.exitCode, p.reason])).toEqual([
        [2, "declarations"],
        [2, "declarations"],
      ]);
      expect([err.exitCode, err.reason]).toEqual([2, "declarations"]);
      expect(err.message).toBe("admins: needs at least one admin recipient (and 1 more)");
      return;
    }
    throw new Error("no problem reported");
  });

  it("secrets not an object", () => {
    expect(problems({ admins: [ADMIN], secrets: [] })).toEqual([
      "secrets: must be an object, not a list",
    ]);
  });

  it("an invalid name is reported without a field, and the secret is not checked further", () => {
    expect(problems({ admins: [ADMIN], secrets: { "../x": { bad: 1 } } })).toEqual([
      'secrets."../x": invalid secret name: has a ".." path segment',
    ]);
  });

  it("names that collide on disk", () => {
    expect(
      problems({ admins: [ADMIN], secrets: { Key: { manual: {} }, key: { manual: {} } } }),
    ).toEqual(['secrets."key": collides with secret "Key" on disk']);
  });

  it("a script dependency that is not declared; one declared but invalid is not called unknown", () => {
    expect(
      problems({
        admins: [ADMIN],
        secrets: {
          bad: { random: { length: 0 } },
          s: { script: { script: "x", dependencies: ["bad", "missing"] } },
        },
      }),
    ).toEqual([
      'secrets."bad".random.length: must be a whole number from 1 to 4096, not 0',
      'secrets."s".script.dependencies[1]: unknown secret "missing"',
    ]);
  });

  it("problems of several secrets, in name order, all reported", () => {
    expect(
      problems({
        admins: ["nope"],
        hosts: { web01: [1] },
        secrets: { b: { manual: { x: 1 } }, a: { hosts: ["db01"], age: {} } },
      }),
    ).toEqual([
      'admins[0]: malformed recipient "nope": expected age1…, ssh-ed25519 … or ssh-rsa …',
      "hosts.web01[0]: must be a string, not a number",
      'secrets."a".hosts[0]: unknown host "db01"',
      'secrets."b".manual.x: unknown field (it takes none)',
    ]);
  });
});
