/**
 * Script secrets: never replayed. The stored value stays while its declaration and the values
 * of its dependencies stay; otherwise the script runs again (generate), at most `scriptSlots`
 * at once.
 */
import type { ScriptSpec, SecretDecl } from "../../declarations/index.js";
import { runtimeError } from "../../errors.js";
import { type EntropyRecord, sha256Hex as digest } from "../../store/index.js";
import type { Decider } from "./decide.js";
import { keepStored } from "./keep.js";
import { REASONS, depChanged } from "./reasons.js";
import { newRecord } from "./record.js";
import { changedDependency, declarationChanged, interrupted } from "./situation.js";
import type { Plan, SecretState, StoredSecret } from "./types.js";
import { willChange } from "./will-change.js";

export async function decideScript(
  d: Decider,
  decl: SecretDecl,
  spec: ScriptSpec,
  stored: StoredSecret,
): Promise<Plan> {
  const { input } = d;
  const record = stored.record as EntropyRecord | undefined;
  const deps = new Map<string, Uint8Array>();
  for (const dep of spec.dependencies) {
    await d.resolve(dep, decl.name);
    const value = d.valueOf(dep);
    if (value !== undefined) deps.set(dep, value);
  }
  const depDigests = Object.fromEntries([...deps].map(([n, v]) => [n, digest(v)]));
  const changedDep = record && changedDependency(record.dependencies, depDigests);
  let reason: string | undefined;
  let state: SecretState = "regenerated";
  if (input.rotate.has(decl.name)) reason = REASONS.rotated;
  else if (record === undefined) {
    if (stored.dataHash !== undefined) {
      throw runtimeError("has a data file but no entropy file; its value is kept", {
        secret: decl.name,
        hint: `\`secretgen rotate ${decl.name}\` runs the script again, \`secretgen adopt\` keeps this value`,
      });
    }
    reason = REASONS.new;
    state = "created";
  } else if (declarationChanged(input, decl, stored, record)) reason = REASONS.declarationChanged;
  else if (changedDep !== undefined) reason = depChanged(changedDep);
  else if (stored.dataHash === undefined) reason = REASONS.scriptDataMissing;
  else if (
    interrupted(input, decl.name) &&
    digest(await input.decryptData(decl.name)) !== record.output
  ) {
    // A killed run wrote the record and not the output it ran for: run the script again.
    reason = REASONS.scriptInterrupted;
  }
  if (reason === undefined && record !== undefined) {
    return keepStored(d, decl, stored, record, { reads: [...deps.keys()] });
  }
  if (input.mode === "check") return willChange(decl, state, reason);
  const out = await d.scheduler.withScriptSlot(() =>
    input.runScript(decl, spec, deps, () => [...d.knownValues(), ...deps.values()]),
  );
  return {
    decl,
    state,
    reason,
    value: out.value,
    publicFiles: out.publicFiles,
    writeData: true,
    writeRecord: newRecord(decl, out.value, { dependencies: depDigests }),
    reads: [...deps.keys()],
  };
}
