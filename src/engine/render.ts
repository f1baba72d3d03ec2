/**
 * Rendering one replayable secret, with restarts: when the render asks for a secret that is not
 * resolved yet, it stops (NeedSecret), that secret is resolved first, and the render starts again
 * from the beginning of its own stream. Bytes drawn before a restart stay recorded and are served
 * again, so salts do not change; memoised results survive restarts.
 */
import { createHash } from "node:crypto";
import type { GeneratorSpec } from "../declarations/types.js";
import { NeedSecret, type RenderContext, type RenderResult } from "./context.js";
import { EntropyExhausted, type EntropyStream } from "./entropy.js";
import { renderSpec } from "./renderers.js";

export interface RenderOutcome {
  result: RenderResult;
  /** Secrets the final render read, with their values. */
  reads: Map<string, Uint8Array>;
  /** Memo entries the final render used. */
  memo: Record<string, string>;
}

export interface RenderHooks {
  /** The value of a resolved secret, or undefined when it is not resolved yet. */
  valueOf(name: string): Uint8Array | undefined;
  /** Resolve `name` (read by `reader`); throws when it cannot provide a value. */
  resolve(name: string, reader: string): Promise<void>;
}

/**
 * Render `spec` from `stream`. Returns undefined when the stream ran dry (a replay that needs
 * more bytes than recorded).
 */
export async function renderWithRestarts(
  secret: string,
  spec: GeneratorSpec,
  stream: EntropyStream,
  memoIn: Readonly<Record<string, string>>,
  hooks: RenderHooks,
): Promise<RenderOutcome | undefined> {
  const memoAll: Record<string, string> = { ...memoIn };
  for (;;) {
    stream.restart();
    const reads = new Map<string, Uint8Array>();
    const used: Record<string, string> = {};
    const ctx: RenderContext = {
      secret,
      entropy: stream,
      readSecret(name) {
        const value = hooks.valueOf(name);
        if (value === undefined) throw new NeedSecret(name);
        reads.set(name, value);
        return value;
      },
      memo(key, compute) {
        const value = memoAll[key] ?? compute();
        memoAll[key] = value;
        used[key] = value;
        return value;
      },
    };
    try {
      return { result: renderSpec(spec, ctx), reads, memo: used };
    } catch (err) {
      if (err instanceof NeedSecret) {
        await hooks.resolve(err.secret, secret);
        continue;
      }
      if (err instanceof EntropyExhausted) return undefined;
      throw err;
    }
  }
}

export function digest(value: Uint8Array): string {
  return createHash("sha256").update(value).digest("hex");
}
