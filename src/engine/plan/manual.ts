/**
 * Manual secrets: their value comes from `secretgen set` (or an edit outside secretgen, see
 * keep.ts); without one they are pending.
 */
import type { SecretDecl } from "../../declarations/index.js";
import { runtimeError } from "../../errors.js";
import { type EntropyRecord, sha256Hex as digest } from "../../store/index.js";
import type { Decider } from "./decide.js";
import { act, keepStored } from "./keep.js";
import { REASONS } from "./reasons.js";
import { newRecord } from "./record.js";
import type { Plan, StoredSecret } from "./types.js";

export async function decideManual(
  d: Decider,
  decl: SecretDecl,
  stored: StoredSecret,
): Promise<Plan> {
  const record = stored.record as EntropyRecord | undefined;
  const setValue = d.input.values?.get(decl.name);
  if (setValue !== undefined) {
    if (record !== undefined && !record.pinned && digest(setValue) === record.output) {
      // The value it already has: nothing to write unless its files need it anyway.
      if (stored.dataHash !== undefined)
        return keepStored(d, decl, stored, record, { value: setValue, reads: [] });
      return act(
        d,
        { decl, state: "unchanged", value: setValue, reads: [] },
        "restored",
        REASONS.dataMissing,
        { writeData: true },
      );
    }
    return {
      decl,
      state: record === undefined ? "created" : "updated",
      reason: REASONS.set,
      value: setValue,
      writeRecord: newRecord(decl, setValue),
      writeData: true,
      reads: [],
    };
  }
  if (record === undefined) {
    if (stored.dataHash !== undefined) {
      throw runtimeError("has a data file but no entropy file; its value is kept", {
        secret: decl.name,
        hint: `\`secretgen set ${decl.name}\` stores a value again, \`secretgen adopt\` keeps this one`,
      });
    }
    return { decl, state: "pending", reason: REASONS.manualNotSet, reads: [] };
  }
  if (stored.dataHash === undefined) {
    return { decl, state: "pending", reason: REASONS.manualDataMissing, reads: [] };
  }
  return keepStored(d, decl, stored, record, { reads: [] });
}
