/**
 * One render attempt as a self-contained job, so that it can run in this thread or in a worker:
 * the spec, the recorded bytes so far, whether fresh bytes may be drawn, the memo, and the values
 * of the secrets it may read. A job that asks for a secret it was not given ends with `need`;
 * the engine resolves that secret and submits the job again with the bytes drawn so far.
 */
import { createHash } from "node:crypto";
import type { GeneratorSpec } from "../../declarations/index.js";
import { SecretgenError } from "../../errors.js";
import { NeedSecret, type RenderContext } from "../context.js";
import { EntropyExhausted, EntropyStream, cryptoSource, type RandomSource } from "../entropy.js";
import { prepareRender, renderSpec } from "../render/index.js";
import { encodeError, type EncodedError } from "./error-codec.js";

export interface RenderJob {
  secret: string;
  spec: GeneratorSpec;
  /** Bytes to serve first: the record (replay) or what earlier attempts drew (fresh). */
  recorded: Uint8Array;
  /** Draw fresh bytes past `recorded` (first generation); otherwise a pure replay. */
  fresh: boolean;
  memo: Record<string, string>;
  /** Values of secrets the render may read. */
  values: Record<string, Uint8Array>;
}

export type JobResult =
  | {
      kind: "done";
      value: Uint8Array;
      publicKey?: string;
      /** Secrets read, in first-read order. */
      reads: string[];
      /** Memo entries the render used. */
      memo: Record<string, string>;
      /** The bytes the render consumed (what a new recording keeps). */
      consumed: Uint8Array;
    }
  | { kind: "need"; secret: string; recorded: Uint8Array; memo: Record<string, string> }
  | { kind: "exhausted" }
  | { kind: "error"; error: EncodedError };

/**
 * Fresh bytes for a secret. Production: the CSPRNG. Tests: a seeded source whose byte at stream
 * position i depends only on (seed, secret, i), so restarts, threads and order cannot change it.
 */
export function freshSource(
  seed: string | undefined,
  secret: string,
  offset: number,
): RandomSource {
  if (seed === undefined) return cryptoSource;
  let pos = offset;
  return (n) => {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++, pos++) {
      const block = createHash("sha256")
        .update(`${seed}\0${secret}\0${Math.floor(pos / 32)}`)
        .digest();
      out[i] = block[pos % 32] ?? 0;
    }
    return out;
  };
}

/** Runs one attempt, once what the spec needs is loaded (a template's engine). */
export async function runRenderJob(job: RenderJob, seed: string | undefined): Promise<JobResult> {
  await prepareRender(job.spec);
  return runAttempt(job, seed);
}

function runAttempt(job: RenderJob, seed: string | undefined): JobResult {
  const fresh = job.fresh ? freshSource(seed, job.secret, job.recorded.length) : undefined;
  const stream = new EntropyStream(job.recorded, fresh);
  const memoAll: Record<string, string> = { ...job.memo };
  const used: Record<string, string> = {};
  const reads: string[] = [];
  const ctx: RenderContext = {
    secret: job.secret,
    entropy: stream,
    readSecret(name) {
      const value = job.values[name];
      if (value === undefined) throw new NeedSecret(name);
      if (!reads.includes(name)) reads.push(name);
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
    const result = renderSpec(job.spec, ctx);
    const done: JobResult = {
      kind: "done",
      value: result.value,
      reads,
      memo: used,
      consumed: stream.consumed(),
    };
    if (result.publicKey !== undefined) done.publicKey = result.publicKey;
    return done;
  } catch (err) {
    if (err instanceof NeedSecret)
      return { kind: "need", secret: err.secret, recorded: stream.recorded(), memo: memoAll };
    if (err instanceof EntropyExhausted) return { kind: "exhausted" };
    if (err instanceof SecretgenError) return { kind: "error", error: encodeError(err) };
    throw err;
  }
}
