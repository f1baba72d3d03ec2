/**
 * The contract between the engine and the pure renderers (generators and functions).
 *
 * A renderer is a pure function of (spec, the secret's entropy stream, the values of the
 * secrets it reads). It does no I/O, reads no clock, no environment, no global randomness.
 * Everything it needs comes through a RenderContext.
 */
import type { EntropyStream } from "./entropy.js";

/**
 * Thrown by `RenderContext.readSecret` when the asked-for secret has not been rendered yet in
 * this run. The engine catches it, renders that secret first, then restarts the render from the
 * beginning of its stream (`EntropyStream.restart()`). Renderers must let it propagate.
 */
export class NeedSecret extends Error {
  constructor(readonly secret: string) {
    // A signal that restarts a render, never shown: it needs no stack trace (costly to capture,
    // and templates and JSON secrets raise one per secret they read).
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    super(`needs secret ${JSON.stringify(secret)} first`);
    Error.stackTraceLimit = limit;
    this.name = "NeedSecret";
  }
}

export interface RenderContext {
  /** Name of the secret being rendered (for error messages). */
  readonly secret: string;
  /** The secret's own entropy stream: the only source of randomness. */
  readonly entropy: EntropyStream;
  /**
   * The value of another secret. Throws NeedSecret when it is not rendered yet, and a
   * SecretgenError (exit 2) for a name that is not declared or that would form a cycle.
   */
  readSecret(name: string): Uint8Array;
  /**
   * A memoised computation (bcrypt): returns the result stored under `key` by an earlier run or
   * an earlier render of this run, or computes, stores and returns it. `key` must cover every
   * input of the computation (function, arguments, salt).
   */
  memo(key: string, compute: () => string): string;
}

/** What a generator produces. */
export interface RenderResult {
  /** The secret value: the plaintext of data/NAME.age. */
  value: Uint8Array;
  /** Public half of a keypair: written to public/NAME.pub. */
  publicKey?: string;
}
