/**
 * Encrypting one file to declared recipient texts (validated with the declarations), parsed
 * once per text. Used by apply.ts on this thread and by the worker threads of the pool.
 */
import { encrypt, parseRecipient, type Recipient } from "../../age/index.js";

/** Encrypts a file to recipient texts; `run` passes its executor's (a pool's workers). */
export type EncryptFile = (
  plaintext: Uint8Array,
  recipients: readonly string[],
  armor: boolean,
) => Promise<Uint8Array>;

const parsed = new Map<string, Recipient>();

/** Recipient texts parsed (once per text). */
export function parsedRecipients(list: readonly string[]): Recipient[] {
  return list.map((text) => {
    let r = parsed.get(text);
    if (r === undefined) {
      r = parseRecipient(text);
      parsed.set(text, r);
    }
    return r;
  });
}

/** Encryption on this thread (the fast writer when it handles every recipient). */
export const encryptHere: EncryptFile = async (plaintext, list, armor) =>
  encrypt(plaintext, parsedRecipients(list), { armor });
