/**
 * The worker boundary's error codec: every kind of error comes back, through structured clone
 * (what postMessage does), as the class it was with its fields and its cause.
 */
import { describe, expect, it } from "vitest";
import { AgeError } from "../../../src/age/index.js";
import { DeclarationError } from "../../../src/declarations/problems.js";
import {
  asSecretgenError,
  decodeError,
  encodeError,
} from "../../../src/engine/exec/error-codec.js";
import { SecretgenError, runtimeError, usageError } from "../../../src/errors.js";

/** Encoded, cloned as a message is, decoded. */
function roundTrip(err: unknown): Error {
  return decodeError(structuredClone(encodeError(err)));
}

/** `e`, which must be an instance of `type`. */
function as<E>(e: unknown, type: abstract new (...args: never[]) => E): E {
  expect(e).toBeInstanceOf(type);
  if (!(e instanceof type)) throw new Error("unreachable");
  return e;
}

describe("error codec", () => {
  it("a usage error keeps its class, message, exit status, secret, field and hint", () => {
    const err = usageError("line 1, column 3: bcrypt cost 3 is out of range", {
      secret: "app/env",
      field: "template",
      hint: "a cost from 4 to 31",
    });
    const back = roundTrip(err);
    expect(back).toBeInstanceOf(SecretgenError);
    expect(back).toMatchObject({
      name: "SecretgenError",
      message: err.message,
      exitCode: 2,
      reason: "usage",
      secret: "app/env",
      field: "template",
      hint: "a cost from 4 to 31",
    });
    expect(as(back, SecretgenError).toString()).toBe(err.toString());
  });

  it("a runtime error keeps exit 3, its reason, and its cause's message and class", () => {
    const err = runtimeError("script failed", {
      reason: "script",
      secret: "db/password",
      cause: usageError("inner", { field: "script" }),
    });
    const back = as(roundTrip(err), SecretgenError);
    expect(back.exitCode).toBe(3);
    expect(back.reason).toBe("script");
    expect(back.secret).toBe("db/password");
    expect(back.cause).toBeInstanceOf(SecretgenError);
    expect(back.cause).toMatchObject({ message: "inner", exitCode: 2, field: "script" });
  });

  it("an AgeError keeps its kind, and a cause that is an AgeError stays one", () => {
    const err = new AgeError("no-identity", "no identity matched any of the recipients");
    const back = roundTrip(err);
    expect(back).toBeInstanceOf(AgeError);
    expect(back).toMatchObject({
      kind: "no-identity",
      exitCode: 3,
      reason: "age",
      message: err.message,
    });
    const wrapped = roundTrip(runtimeError("cannot decrypt", { secret: "a", cause: err }));
    expect(as(wrapped, SecretgenError).cause).toBeInstanceOf(AgeError);
    expect(as(wrapped, SecretgenError).cause).toMatchObject({ kind: "no-identity" });
  });

  it("a DeclarationError keeps its problems, each with its secret and field", () => {
    const err = new DeclarationError([
      usageError("unknown secret", { secret: "a", field: "template" }),
      usageError("must be a string", { secret: "b", field: "owner" }),
    ]);
    const back = roundTrip(err);
    expect(back).toBeInstanceOf(DeclarationError);
    expect(back.message).toBe(err.message);
    const problems = as(back, DeclarationError).problems;
    expect(problems.map((p) => [p.secret, p.field, p.message, p.exitCode, p.reason])).toEqual([
      ["a", "template", "unknown secret", 2, "usage"],
      ["b", "owner", "must be a string", 2, "usage"],
    ]);
    expect(back).toMatchObject({ exitCode: 2, reason: "declarations" });
  });

  it("any other error is a plain Error with its message, an internal error (exit 3) as a SecretgenError", () => {
    const back = roundTrip(new TypeError("x is undefined", { cause: new Error("deeper") }));
    expect(back).not.toBeInstanceOf(SecretgenError);
    expect(back.message).toBe("x is undefined");
    expect((back.cause as Error).message).toBe("deeper");
    const err = asSecretgenError(structuredClone(encodeError(new TypeError("x is undefined"))));
    expect(err).toMatchObject({
      message: "internal error: x is undefined",
      exitCode: 3,
      reason: "runtime",
    });
    expect(asSecretgenError(encodeError("a string thrown")).message).toBe(
      "internal error: a string thrown",
    );
    const usage = usageError("u", { secret: "s" });
    expect(asSecretgenError(encodeError(usage))).toMatchObject({ message: "u", exitCode: 2 });
  });

  it("a cycle of causes ends", () => {
    const a = new Error("a");
    const b = new Error("b", { cause: a });
    (a as { cause?: unknown }).cause = b;
    let e: Error | undefined = roundTrip(a);
    let depth = 0;
    while (e !== undefined) {
      depth++;
      e = e.cause as Error | undefined;
    }
    expect(depth).toBe(9);
  });
});
