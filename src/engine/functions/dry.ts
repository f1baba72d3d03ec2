/**
 * Calls checked before rendering: a template's or JSON marker's call whose arguments are
 * literals (`{{bcrypt (secret "a") 3}}`: the cost) runs with UNKNOWN in place of what only a
 * render knows, and with a context that stops the call (DryStop) where it would draw bytes,
 * read a secret or use the memo. Every argument check a function makes before that point runs,
 * so a literal out of range is the same usage error, at the same field and location, as when
 * `generate` renders it, found by `check --offline` and `--dry-run` too. Nothing is drawn,
 * hashed or read.
 */
import type { RenderContext } from "../context.js";
import type { EntropyStream } from "../entropy.js";
import { DryStop, UNKNOWN } from "./call.js";
import { callFunction } from "./index.js";

export { DryStop, UNKNOWN } from "./call.js";

/** An entropy stream whose every use stops the call. */
// eslint-disable-next-line @typescript-eslint/no-unsafe-class-instance-assignment -- a stand-in that never draws
const STOPPING_STREAM = new Proxy(
  {},
  {
    get() {
      throw new DryStop();
    },
  },
) as EntropyStream;

/** A render context for secret `secret` that stops a call at anything only a render knows. */
export function dryContext(secret: string): RenderContext {
  return {
    secret,
    entropy: STOPPING_STREAM,
    readSecret() {
      throw new DryStop();
    },
    memo() {
      throw new DryStop();
    },
  };
}

/**
 * `callFunction` with a dry context: its result when the call needs nothing but its
 * arguments, UNKNOWN when it stops, and the usage error a bad literal argument gives.
 */
export function dryCall(
  name: string,
  ctx: RenderContext,
  args: unknown[],
  opts: Record<string, unknown>,
  where: string,
  at?: string,
): unknown {
  try {
    return callFunction(name, ctx, args, opts, where, at);
  } catch (err) {
    if (err instanceof DryStop) return UNKNOWN;
    throw err;
  }
}
