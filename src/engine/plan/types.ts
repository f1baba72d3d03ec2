/**
 * What the decision module takes and gives: the stored state of each secret, the plan decided
 * for it, its state, and the report of a run (the CLI prints it; `--json` serialises it).
 */
import type { GeneratorKind, SecretDecl } from "../../declarations/index.js";
import type { SecretgenError, Warning } from "../../errors.js";
import type { EntropyRecord } from "../../store/index.js";

export type SecretState =
  /** Nothing to do (generate) / up to date (check). */
  | "unchanged"
  | "created"
  | "regenerated"
  /** Data file (or public key file) written again with the same value (it was missing). */
  | "restored"
  /** Same value re-encrypted for new recipients. */
  | "rekeyed"
  /** Only the manifest entry moved (declaration reformatted, value unchanged). */
  | "updated"
  /** check: would be created or restored. */
  | "missing"
  /** check: would be regenerated, rekeyed or updated. */
  | "stale"
  /** Output would change though neither declaration nor dependencies did. */
  | "drift"
  /** A runtime failure for this secret (cannot decrypt, script failed, …). */
  | "failed"
  /** Not processed because a secret it reads failed or drifted. */
  | "skipped"
  /** A manual secret with no value yet, or a secret reading one. */
  | "pending"
  /** Files or a manifest entry of a secret no longer declared. */
  | "orphan";

/** Files of one secret as found on disk: hashes of its ciphertexts, its decrypted record. */
export interface StoredSecret {
  /** SHA-256 (hex) of data/NAME.age; undefined when there is no data file. */
  dataHash?: string;
  entropyHash?: string;
  /** The decrypted record, or the error decrypting/parsing it. */
  record?: EntropyRecord | SecretgenError;
  /**
   * The text of public/NAME.pub (keypairs): null when there is none, undefined when not read.
   */
  publicKey?: string | null;
}

export interface Plan {
  decl: SecretDecl;
  state: SecretState;
  reason?: string;
  error?: SecretgenError;
  /** The secret's value after this run, when known. */
  value?: Uint8Array;
  /** A record to encrypt and write to entropy/NAME.age (new, or updated). */
  writeRecord?: EntropyRecord;
  /** The existing record, re-encrypted as is (admins changed). */
  reencryptRecord?: EntropyRecord;
  /** Encrypt `value` to data/NAME.age. */
  writeData?: boolean;
  /** Expected content of public/NAME.pub (keypairs). */
  publicKey?: string;
  /** Script public files (relative path → content) to write to public/NAME.d/. */
  publicFiles?: Map<string, Uint8Array>;
  /** Names of the secrets this one read. */
  reads: string[];
  /** check mode: the value will change when generated (its readers will change too). */
  willChange?: boolean;
  /**
   * Skipped because a secret it reads (directly or through other skipped ones) drifted, not
   * because one failed: the run's exit status counts it as that drift.
   */
  skippedForDrift?: boolean;
}

export interface SecretReport {
  name: string;
  generator: GeneratorKind | "unknown";
  hosts: string[];
  state: SecretState;
  reason?: string;
  error?: SecretgenError;
  /** See Plan.skippedForDrift (not part of the JSON report). */
  skippedForDrift?: boolean;
}

export interface RunReport {
  mode: "generate" | "check" | "offline" | "dry-run";
  secrets: SecretReport[];
  /** Warnings to print (no values). */
  warnings: Warning[];
  exitCode: number;
  /** What else the summary line must say (`secrets/secrets.nix out of date`). */
  notes?: string[];
}

/**
 * Something outside the secrets that a check finds out of date (secrets/secrets.nix): it is
 * warned about, named in the summary, and makes the check exit 1.
 */
export interface OutOfDate {
  warning: Warning;
  note: string;
}
