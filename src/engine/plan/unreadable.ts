/**
 * A run whose identities open none of the entropy files: every secret would fail on its own,
 * one error each (hundreds of lines for a plugin identity whose recipient cannot be checked
 * beforehand, or a plugin whose user declined). Said once instead, before anything is decided,
 * so nothing is written. Pure.
 */
import { AgeError, shortRecipient } from "../../age/index.js";
import { SecretgenError, runtimeError } from "../../errors.js";
import type { StoredSecret } from "./types.js";

/** The error when entropy files exist and no identity matched any of them, else undefined. */
export function noEntropyOpens(
  stored: ReadonlyMap<string, StoredSecret>,
  admins: readonly string[],
  viaPlugin = false,
): SecretgenError | undefined {
  let files = 0;
  for (const s of stored.values()) {
    if (s.entropyHash === undefined) continue;
    files++;
    const cause = s.record instanceof SecretgenError ? s.record.cause : undefined;
    if (!(cause instanceof AgeError) || cause.kind !== "no-identity") return undefined;
  }
  if (files === 0) return undefined;
  return runtimeError(
    `none of the identities given opens ${files === 1 ? "the entropy file" : `any of the ${files} entropy files`}${viaPlugin ? " (a plugin identity opens none when it is not an admin's key, or when its plugin's question was declined)" : ""}; they are encrypted to the admins: ${admins.map(shortRecipient).join(", ")}`,
    {
      reason: "not-admin",
      hint: 'use an admin\'s identity, or have an admin add yours to "admins" and run `secretgen generate` (it rekeys every file)',
    },
  );
}
