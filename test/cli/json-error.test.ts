import { describe, expect, it } from "vitest";
import { DeclarationError } from "../../src/declarations/index.js";
import { Problems } from "../../src/declarations/problems.js";
import { runtimeError } from "../../src/errors.js";
import { ERROR_SCHEMA, errorJson, usageJson } from "../../src/cli/json-error.js";

describe("the secretgen-error document", () => {
  it("lists every problem with its location, hint and reason", () => {
    const problems = new Problems();
    problems.add("must be a whole number from 1 to 4096, not -3", {
      secret: "db/password",
      field: "random.length",
    });
    problems.add("unknown host", { secret: "x", field: "hosts", hint: "declare it" });
    const err = new DeclarationError(problems.list);
    expect(JSON.parse(errorJson("generate", err, 2))).toEqual({
      schema: ERROR_SCHEMA,
      version: 1,
      command: "generate",
      errors: [
        {
          message:
            'secrets."db/password".random.length: must be a whole number from 1 to 4096, not -3',
          secret: "db/password",
          field: "random.length",
          hint: null,
          reason: "declarations",
        },
        {
          message: 'secrets."x".hosts: unknown host',
          secret: "x",
          field: "hosts",
          hint: "declare it",
          reason: "declarations",
        },
      ],
      exitCode: 2,
    });
  });

  it("gives the CLI's hint for a reason that names an option", () => {
    const held = runtimeError("another secretgen run holds the lock", { reason: "lock-held" });
    const doc = JSON.parse(errorJson("check", held, 3, { wait: 0 })) as {
      errors: { hint: string; reason: string }[];
    };
    expect(doc.errors).toEqual([
      expect.objectContaining({
        hint: "wait for it to finish, or pass --wait SECONDS to wait for it",
        reason: "lock-held",
      }),
    ]);
  });

  it("reports anything else as internal, and a command line problem as usage", () => {
    expect(JSON.parse(errorJson(null, new Error("boom"), 3))).toEqual({
      schema: ERROR_SCHEMA,
      version: 1,
      command: null,
      errors: [
        {
          message: "internal error: boom",
          secret: null,
          field: null,
          hint: null,
          reason: "internal",
        },
      ],
      exitCode: 3,
    });
    expect(JSON.parse(usageJson("check", "error: unknown option '--x'\n", 2))).toEqual({
      schema: ERROR_SCHEMA,
      version: 1,
      command: "check",
      errors: [
        { message: "unknown option '--x'", secret: null, field: null, hint: null, reason: "usage" },
      ],
      exitCode: 2,
    });
  });
});
