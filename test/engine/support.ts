/**
 * Render contexts for the pure renderer tests: a replay-only stream over fixed bytes (or a
 * seeded "fresh" source), secrets from a table, and a memo that counts its computations.
 */
import { createHash } from "node:crypto";
import { NeedSecret, type RenderContext } from "../../src/engine/context.js";
import { EntropyStream, type RandomSource } from "../../src/engine/entropy.js";
import { usageError } from "../../src/errors.js";

export interface TestContext extends RenderContext {
  readonly entropy: EntropyStream;
  /** How many times `memo` had to compute (i.e. how many bcrypt hashes were really made). */
  computed: number;
  /** The NeedSecret instances thrown, in order. */
  needs: NeedSecret[];
  memoTable: Map<string, string>;
}

export interface ContextOptions {
  /** Bytes to replay; without `fresh` the stream runs dry after them. */
  bytes?: Uint8Array | readonly number[];
  fresh?: RandomSource;
  /** Secret values by name (UTF-8). */
  secrets?: Record<string, string | Uint8Array>;
  /** Names that exist but are not rendered yet: reading them throws NeedSecret. */
  pending?: readonly string[];
  memo?: Map<string, string>;
  secret?: string;
  stream?: EntropyStream;
}

export function hex(text: string): Uint8Array {
  return new Uint8Array(Buffer.from(text.replace(/\s+/g, ""), "hex"));
}

/** Bytes start, start+1, …, start+n-1. */
export function counting(start: number, n: number): number[] {
  return Array.from({ length: n }, (_, i) => start + i);
}

/** A deterministic stand-in for the CSPRNG (SHA-256 in counter mode over a seed). */
export function seededSource(seed: string): RandomSource {
  let counter = 0;
  return (n) => {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i += 32) {
      const block = createHash("sha256").update(`${seed}:${counter++}`).digest();
      out.set(block.subarray(0, Math.min(32, n - i)), i);
    }
    return out;
  };
}

export function makeCtx(options: ContextOptions = {}): TestContext {
  const entropy =
    options.stream ?? new EntropyStream(Uint8Array.from(options.bytes ?? []), options.fresh);
  const secrets = options.secrets ?? {};
  const memoTable = options.memo ?? new Map<string, string>();
  const ctx: TestContext = {
    secret: options.secret ?? "test/secret",
    entropy,
    computed: 0,
    needs: [],
    memoTable,
    readSecret(name) {
      const value = Object.hasOwn(secrets, name) ? secrets[name] : undefined;
      if (typeof value === "string") return new TextEncoder().encode(value);
      if (value !== undefined) return value;
      if (options.pending?.includes(name)) {
        const need = new NeedSecret(name);
        ctx.needs.push(need);
        throw need;
      }
      throw usageError(`reads unknown secret ${JSON.stringify(name)}`, { secret: ctx.secret });
    },
    memo(key, compute) {
      const known = memoTable.get(key);
      if (known !== undefined) return known;
      ctx.computed++;
      const value = compute();
      memoTable.set(key, value);
      return value;
    },
  };
  return ctx;
}

export function text(value: Uint8Array): string {
  return new TextDecoder("utf-8", { fatal: true }).decode(value);
}
