/**
 * The error a failing call gives, for tests that then look at its message, code or field. A call
 * that succeeds, or fails with another kind of error, fails the test.
 */
import { expect } from "vitest";
import { SecretgenError } from "../../src/errors.js";

/** The SecretgenError `fn` throws (any other error is thrown on). */
export function failure(fn: () => unknown): SecretgenError {
  try {
    fn();
  } catch (err) {
    if (err instanceof SecretgenError) return err;
    throw err;
  }
  throw new Error("did not throw");
}

/** The error `p` rejects with, which must be a `type` (SecretgenError unless told). */
export async function rejection<E extends Error = SecretgenError>(
  p: Promise<unknown>,
  type: abstract new (...args: never[]) => E = SecretgenError as unknown as abstract new (
    ...args: never[]
  ) => E,
): Promise<E> {
  const err: unknown = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(type);
  return err as E;
}
