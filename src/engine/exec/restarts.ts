/**
 * Rendering one replayable secret, with restarts: when the render asks for a secret it was not
 * given, the attempt ends, that secret is resolved first, and the render starts again from the
 * beginning of its own stream with the bytes drawn so far (so salts do not change) and the memo
 * (so bcrypt is not paid twice). Attempts run on an Executor: this thread or a worker.
 */
import type { GeneratorSpec } from "../../declarations/index.js";
import type { RenderResult } from "../context.js";
import { asSecretgenError } from "./error-codec.js";
import type { RenderJob } from "./job.js";
import type { Executor } from "./executor.js";

export interface RenderOutcome {
  result: RenderResult;
  /** Secrets the final render read, with their values. */
  reads: Map<string, Uint8Array>;
  /** Memo entries the final render used. */
  memo: Record<string, string>;
  /** Bytes the final render consumed. */
  consumed: Uint8Array;
}

export interface RenderHooks {
  /** The value of a resolved secret, or undefined when it is not resolved (yet). */
  valueOf(name: string): Uint8Array | undefined;
  /** Resolve `name` (read by `reader`); throws when it cannot provide a value. */
  resolve(name: string, reader: string): Promise<void>;
}

export interface RenderRequest {
  secret: string;
  spec: GeneratorSpec;
  /** The record's bytes (replay), or nothing (fresh). */
  recorded: Uint8Array;
  fresh: boolean;
  memo: Readonly<Record<string, string>>;
  /** Secrets it probably reads (last time's): their values are sent along when already known. */
  hints?: readonly string[];
}

/** Render; undefined when a replay ran out of recorded bytes. */
export async function renderWithRestarts(
  req: RenderRequest,
  hooks: RenderHooks,
  exec: Executor,
): Promise<RenderOutcome | undefined> {
  const values: Record<string, Uint8Array> = {};
  for (const name of req.hints ?? []) {
    const v = hooks.valueOf(name);
    if (v !== undefined) values[name] = v;
  }
  let job: RenderJob = {
    secret: req.secret,
    spec: req.spec,
    recorded: req.recorded,
    fresh: req.fresh,
    memo: { ...req.memo },
    values,
  };
  for (;;) {
    const r = await exec.render(job);
    switch (r.kind) {
      case "done": {
        const result: RenderResult = { value: r.value };
        if (r.publicKey !== undefined) result.publicKey = r.publicKey;
        const reads = new Map(r.reads.map((n) => [n, job.values[n] ?? new Uint8Array(0)]));
        return { result, reads, memo: r.memo, consumed: r.consumed };
      }
      case "need": {
        await hooks.resolve(r.secret, req.secret);
        const value = hooks.valueOf(r.secret);
        if (value === undefined) throw new Error(`resolved ${r.secret} has no value`);
        job = {
          ...job,
          recorded: r.recorded,
          memo: r.memo,
          values: { ...job.values, [r.secret]: value },
        };
        continue;
      }
      case "exhausted":
        return undefined;
      case "error":
        throw asSecretgenError(r.error);
    }
  }
}
