/**
 * Replayable secrets (random, template, json, keypairs): replayed from their recorded bytes;
 * the same output keeps the value, a changed declaration or dependency makes a new one, and a
 * different output from the same inputs is drift.
 */
import type { SecretDecl } from "../../declarations/index.js";
import { runtimeError } from "../../errors.js";
import { type EntropyRecord, sha256Hex as digest } from "../../store/index.js";
import { renderWithRestarts } from "../exec/index.js";
import type { Decider } from "./decide.js";
import { checkPublicKey, keepStored } from "./keep.js";
import { REASONS, depChanged } from "./reasons.js";
import { newRecord } from "./record.js";
import { changedDependency, declarationChanged, readDigests } from "./situation.js";
import type { Plan, SecretState, StoredSecret } from "./types.js";
import { willChange } from "./will-change.js";

export async function decideReplayable(
  d: Decider,
  decl: SecretDecl,
  stored: StoredSecret,
): Promise<Plan> {
  const record = stored.record as EntropyRecord | undefined;
  if (d.input.rotate.has(decl.name)) return regenerate(d, decl, REASONS.rotated);
  if (record === undefined) {
    if (stored.dataHash !== undefined) {
      throw runtimeError("has a data file but no entropy file; its value is kept", {
        secret: decl.name,
        hint: `\`secretgen rotate ${decl.name}\` makes a new value, \`secretgen adopt\` keeps this one`,
      });
    }
    return regenerate(d, decl, REASONS.new, "created");
  }
  const declChanged = declarationChanged(d.input, decl, stored, record);
  if (record.pinned) {
    if (declChanged) return regenerate(d, decl, REASONS.adoptedDeclarationChanged);
    return keepStored(d, decl, stored, record, { reads: [] });
  }
  const replay = await renderWithRestarts(
    {
      secret: decl.name,
      spec: decl.generator,
      recorded: record.entropy,
      fresh: false,
      memo: record.memo,
      hints: Object.keys(record.dependencies),
    },
    d.hooks,
    d.input.executor,
  );
  const reads = replay ? readDigests(replay) : undefined;
  const changedDep = reads ? changedDependency(record.dependencies, reads) : undefined;
  if (replay && digest(replay.result.value) === record.output) {
    const plan = await keepStored(d, decl, stored, record, {
      value: replay.result.value,
      reads: [...replay.reads.keys()],
    });
    if (replay.result.publicKey !== undefined) plan.publicKey = replay.result.publicKey;
    if (changedDep !== undefined && plan.state !== "failed") {
      // Same output from changed inputs: keep the record's digests current, so a later change
      // is classified correctly.
      plan.writeRecord = { ...record, dependencies: reads ?? {}, memo: replay.memo };
      plan.reencryptRecord = undefined;
    }
    checkPublicKey(d, plan, stored);
    return plan;
  }
  if (declChanged) return regenerate(d, decl, REASONS.declarationChanged);
  if (changedDep !== undefined) {
    // Its own declaration is unchanged, a secret it reads changed value: rendered again from
    // its own recorded bytes (its salts and random parts stay), fresh bytes only past the end.
    return render(d, decl, depChanged(changedDep), "regenerated", record.entropy, record.memo);
  }
  return driftPlan(
    decl,
    replay ? REASONS.drift : REASONS.driftExhausted,
    "the declaration renders a different value though nothing changed",
    `a secretgen change or a bug; \`secretgen rotate ${decl.name}\` regenerates it on purpose`,
  );
}

/** Drift: reported (exit 3 in generate), nothing written for the secret, its readers skipped. */
export function driftPlan(decl: SecretDecl, reason: string, message: string, hint: string): Plan {
  return {
    decl,
    state: "drift",
    reason,
    error: runtimeError(`drift: ${message}`, { secret: decl.name, hint }),
    reads: [],
  };
}

/** A fresh render from the CSPRNG, recorded anew (new secret, changed declaration, rotate). */
function regenerate(
  d: Decider,
  decl: SecretDecl,
  reason: string,
  state: SecretState = "regenerated",
): Promise<Plan> {
  return render(d, decl, reason, state, new Uint8Array(0), {});
}

async function render(
  d: Decider,
  decl: SecretDecl,
  reason: string,
  state: SecretState,
  recorded: Uint8Array,
  memo: Readonly<Record<string, string>>,
): Promise<Plan> {
  const check = d.input.mode === "check";
  if (check && d.input.discover?.has(decl.name) !== true) return willChange(decl, state, reason);
  const out = await renderWithRestarts(
    { secret: decl.name, spec: decl.generator, recorded, fresh: true, memo },
    d.hooks,
    d.input.executor,
  );
  if (out === undefined) throw new Error("a fresh render cannot run out of entropy");
  if (check) return { ...willChange(decl, state, reason), reads: [...out.reads.keys()] };
  const plan: Plan = {
    decl,
    state,
    reason,
    value: out.result.value,
    writeRecord: newRecord(decl, out.result.value, {
      entropy: out.consumed,
      memo: out.memo,
      dependencies: readDigests(out),
    }),
    writeData: true,
    reads: [...out.reads.keys()],
  };
  if (out.result.publicKey !== undefined) plan.publicKey = out.result.publicKey;
  return plan;
}
