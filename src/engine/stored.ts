/**
 * What a run reads from secrets/ before deciding: each secret's data file hashed (not kept),
 * its entropy record decrypted, a keypair's public key file read. Later, a data file's bytes
 * are handed out only if they still hash the same.
 */
import { SecretgenError, runtimeError } from "../errors.js";
import {
  type Layout,
  sha256Hex,
  hashFileIfExists,
  readIfExists,
  parseRecord,
} from "../store/index.js";
import type { StoredSecret } from "./plan/index.js";
import { isPluginFailure } from "./plugin-failure.js";
import { reading } from "./reading.js";
import type { EarlyDecrypt, Executor } from "./exec/index.js";

/**
 * Decrypt one of a secret's files; a failure names the secret and the file (`reveal` too). A
 * plugin's failure propagates as it is.
 */
export function decryptAs(
  what: string,
  name: string,
  ciphertext: Uint8Array,
  exec: Pick<Executor, "decrypt">,
): Promise<Uint8Array> {
  return named(what, name, exec.decrypt(ciphertext));
}

/** A decryption under way, whose failure names the secret and the file (see decryptAs). */
async function named(what: string, name: string, decrypting: Promise<Uint8Array>) {
  try {
    return await decrypting;
  } catch (err) {
    if (isPluginFailure(err)) throw err;
    if (err instanceof SecretgenError) {
      throw runtimeError(`cannot decrypt its ${what} file: ${err.message}`, {
        secret: name,
        reason: err.reason,
        // For an age file no identity opened, the CLI asks whether the right one was given.
        hint:
          err.hint ??
          "restore the file from git; a secret that cannot be decrypted is never regenerated",
        cause: err,
      });
    }
    throw err;
  }
}

/**
 * The bytes of a data file loadStored hashed. They must hash the same now: a file changed in
 * the middle of a run is an error, never decrypted as if it were the one the run decided on.
 */
export function dataBytes(
  name: string,
  layout: Layout,
  stored: ReadonlyMap<string, StoredSecret>,
): Uint8Array {
  const bytes = readIfExists(layout.dataFile(name));
  const hash = stored.get(name)?.dataHash;
  if (bytes === undefined || hash === undefined || sha256Hex(bytes) !== hash) {
    throw runtimeError("data file changed while secretgen was running", {
      secret: name,
      hint: "run the command again",
    });
  }
  return bytes;
}

/**
 * Hash the data files of the given secrets, read and decrypt their entropy records, and read
 * the public key files of `keypairs`. `likelyReads` names the data files to decrypt along with
 * them (see likely-reads.ts), for an executor that batches decryptions (plugin sessions).
 * Entropy files `early` decrypted ahead are not decrypted again.
 */
export async function loadStored(
  names: Iterable<string>,
  layout: Layout,
  exec: Executor,
  opts: {
    likelyReads?: (stored: ReadonlyMap<string, StoredSecret>) => Iterable<string>;
    keypairs?: ReadonlySet<string>;
    /** Entropy files decrypted ahead: their plaintexts are taken from it when it has them. */
    early?: EarlyDecrypt;
  } = {},
): Promise<Map<string, StoredSecret>> {
  const { likelyReads, keypairs = new Set(), early } = opts;
  const stored = new Map<string, StoredSecret>();
  const decrypting: Promise<void>[] = [];
  for (const name of names) {
    const s: StoredSecret = {};
    // Data files are hashed, not kept: a no-op run decrypts none (dataBytes reads one again).
    const dataHash = reading(name, () => hashFileIfExists(layout.dataFile(name)));
    if (dataHash !== undefined) s.dataHash = dataHash;
    const path = layout.entropyFile(name);
    const entropy = reading(name, () => readIfExists(path));
    if (entropy !== undefined) {
      s.entropyHash = sha256Hex(entropy);
      const ahead = early?.take(path, entropy);
      const plaintext =
        ahead === undefined ? exec.decrypt(entropy) : ahead.then((p) => p ?? exec.decrypt(entropy));
      decrypting.push(
        named("entropy", name, plaintext).then(
          (plaintext) => {
            try {
              s.record = parseRecord(plaintext, name);
            } catch (err) {
              if (!(err instanceof SecretgenError)) throw err;
              s.record = err;
            }
          },
          (err: unknown) => {
            if (!(err instanceof SecretgenError)) throw err;
            s.record = err;
          },
        ),
      );
    }
    if (keypairs.has(name)) {
      const pub = reading(name, () => readIfExists(layout.publicFile(name)));
      s.publicKey = pub === undefined ? null : Buffer.from(pub).toString("utf8");
    }
    stored.set(name, s);
  }
  if (exec.prefetch !== undefined && likelyReads !== undefined) {
    for (const name of likelyReads(stored)) {
      const bytes = readIfExists(layout.dataFile(name));
      if (bytes !== undefined) exec.prefetch(bytes);
    }
  }
  await Promise.all(decrypting);
  return stored;
}
