/**
 * A secret whose value stays: its data file is checked against the record (by ciphertext hash,
 * decrypting only when the hash moved), restored when missing, re-encrypted when recipients
 * changed; its entropy file re-encrypted when the admins changed.
 */
import type { SecretDecl } from "../../declarations/index.js";
import { runtimeError } from "../../errors.js";
import { sameList, type EntropyRecord, sha256Hex as digest } from "../../store/index.js";
import type { Decider } from "./decide.js";
import { REASONS, publicChanged, publicMissing } from "./reasons.js";
import { newRecord } from "./record.js";
import { adminsChanged, interrupted, trusted } from "./situation.js";
import type { Plan, StoredSecret } from "./types.js";

export async function keepStored(
  d: Decider,
  decl: SecretDecl,
  stored: StoredSecret,
  record: EntropyRecord,
  known: { value?: Uint8Array; reads: string[] },
): Promise<Plan> {
  const { input } = d;
  const plan: Plan = { decl, state: "unchanged", reads: known.reads, value: known.value };
  const entry = input.manifest.secrets.get(decl.name);
  const wasInterrupted = interrupted(input, decl.name);
  if (adminsChanged(input, decl, stored)) plan.reencryptRecord = record;
  if (stored.dataHash === undefined) {
    if (plan.value === undefined) {
      throw runtimeError("data file is missing and its value cannot be replayed", {
        secret: decl.name,
        hint: "restore it from git, or `rotate` (or `set`) it",
      });
    }
    return act(d, plan, "restored", REASONS.dataMissing, { writeData: true });
  }
  const hashOk =
    entry !== undefined &&
    entry.data === stored.dataHash &&
    trusted(input, decl, stored) &&
    !wasInterrupted;
  if (!hashOk) {
    const plaintext = await input.decryptData(decl.name);
    if (digest(plaintext) !== record.output) {
      const setValue = input.values?.get(decl.name);
      const completing = wasInterrupted || (entry !== undefined && !trusted(input, decl, stored));
      if (plan.value !== undefined && (completing || setValue !== undefined)) {
        // A killed run wrote the record and not the data file (or `set` puts back the value
        // the record has): finish the work.
        const reason = completing ? REASONS.interrupted : REASONS.dataRestored;
        return act(d, plan, "restored", reason, { writeData: true });
      }
      if (decl.generator.kind === "manual") {
        if (wasInterrupted) {
          throw runtimeError("a killed run recorded a new value that never reached its data file", {
            secret: decl.name,
            hint: `nothing was lost from the tree; store the value again: \`secretgen set ${decl.name}\``,
          });
        }
        return setOutside(d, plan, plaintext);
      }
      throw runtimeError(
        "data file was changed outside secretgen (its value differs from the record)",
        {
          secret: decl.name,
          reason: "changed-outside",
          // The CLI names the command that keeps the new value (cli/hints.ts).
          hint: `restore it from git; \`secretgen rotate ${decl.name}\` makes a new value`,
        },
      );
    }
    plan.value ??= plaintext;
  }
  const outside = entry !== undefined && entry.data !== stored.dataHash && !wasInterrupted;
  if (entry === undefined || !sameList(entry.recipients, decl.recipients) || outside) {
    // A data file re-encrypted outside secretgen may have other recipients than declared
    // (agenix -r with other rules): secretgen cannot read an X25519 file's recipients, so it
    // encrypts the same value to the declared ones again.
    const reason =
      entry === undefined
        ? REASONS.notInManifest
        : outside && sameList(entry.recipients, decl.recipients)
          ? REASONS.reencryptedOutsideRekeyed
          : REASONS.recipientsChanged;
    return act(d, plan, "rekeyed", reason, { writeData: true });
  }
  const declMoved = entry.declarationHash !== decl.declarationHash;
  if (
    plan.reencryptRecord !== undefined ||
    declMoved ||
    entry.generator !== decl.generator.kind ||
    !hashOk
  ) {
    const reason = declMoved
      ? REASONS.declarationMoved
      : !hashOk
        ? REASONS.reencryptedOutside
        : REASONS.adminsChanged;
    return act(d, plan, "updated", reason);
  }
  return plan;
}

/**
 * A keypair whose value stays: public/NAME.pub is written again (same key) when it is missing
 * or was changed.
 */
export function checkPublicKey(d: Decider, plan: Plan, stored: StoredSecret): void {
  if (plan.publicKey === undefined || plan.state !== "unchanged") return;
  const onDisk = stored.publicKey;
  if (onDisk === undefined || onDisk === plan.publicKey) return;
  const file = `${plan.decl.name}.pub`;
  if (d.input.mode === "generate") plan.state = "restored";
  else plan.state = onDisk === null ? "missing" : "stale";
  plan.reason = onDisk === null ? publicMissing(file) : publicChanged(file);
}

/**
 * A manual secret whose data file holds a new value written by someone else (`agenix -e`,
 * `age -r … -o`): taken as set. Its record follows, and the file is encrypted to the declared
 * recipients again (the edit may have used others). Readers see the new value.
 */
function setOutside(d: Decider, plan: Plan, value: Uint8Array): Plan {
  plan.value = value;
  plan.reason = REASONS.setOutside;
  if (d.input.mode === "check") {
    plan.state = "stale";
    return plan;
  }
  plan.state = "updated";
  plan.reencryptRecord = undefined;
  plan.writeRecord = newRecord(plan.decl, value);
  // The file may have other recipients than declared: it is encrypted to them again.
  plan.writeData = true;
  return plan;
}

/** Set a plan's state (check mode: as stale/missing, without a value requirement). */
export async function act(
  d: Decider,
  plan: Plan,
  state: "restored" | "rekeyed" | "updated",
  reason: string,
  opts: { writeData?: boolean } = {},
): Promise<Plan> {
  plan.reason = reason;
  if (d.input.mode === "check") {
    plan.state = state === "restored" ? "missing" : "stale";
    return plan;
  }
  plan.state = state;
  if (opts.writeData) {
    if (plan.value === undefined) {
      if (d.input.stored.get(plan.decl.name)?.dataHash === undefined)
        throw new Error("no data to re-encrypt");
      plan.value = await d.input.decryptData(plan.decl.name);
    }
    plan.writeData = true;
  }
  return plan;
}
