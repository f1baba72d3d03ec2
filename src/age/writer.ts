/**
 * The fast writer: age files for X25519, ssh-ed25519 and ssh-rsa recipients written on
 * node:crypto (a random file key, one stanza per recipient from wrap.ts, the header and its MAC,
 * the STREAM payload, optional armor), synchronously and without loading age-encryption.
 * A file with any other kind of recipient is declined as a whole (null): encrypt.ts sends it
 * to the writer for that kind.
 */
import { randomBytes } from "node:crypto";
import { runtimeError } from "../errors.js";
import { armorEncodeSync } from "./armor.js";
import { writeHeader } from "./header.js";
import type { Recipient } from "./recipients.js";
import { encryptPayload } from "./stream.js";
import { wrapFor, type Wrap } from "./wrap.js";

/** The wrappers of all recipients, or null when one of them is not for the fast writer. */
export function fastWraps(recipients: readonly Recipient[]): Wrap[] | null {
  const wraps: Wrap[] = [];
  for (const r of recipients) {
    const w = wrapFor(r);
    if (w === null) return null;
    wraps.push(w);
  }
  return wraps;
}

/**
 * Encrypt on node:crypto when every recipient is X25519, ssh-ed25519 or ssh-rsa.
 *
 * @returns the age file (armored when `armor`), or null when a recipient is of another kind.
 * @throws a SecretgenError: exit 2 when a recipient's text does not parse, exit 3 for an empty
 * list or a low-order X25519 point.
 */
export function fastEncrypt(
  plaintext: Uint8Array,
  recipients: readonly Recipient[],
  opts: { armor?: boolean } = {},
): Buffer | null {
  if (recipients.length === 0) throw runtimeError("cannot encrypt to an empty list of recipients");
  const wraps = fastWraps(recipients);
  if (wraps === null) return null;
  const fileKey = randomBytes(16);
  try {
    const header = writeHeader(
      wraps.map((w) => w(fileKey)),
      fileKey,
    );
    const binary = Buffer.concat([header, encryptPayload(fileKey, plaintext)]);
    return opts.armor === true ? armorEncodeSync(binary) : binary;
  } finally {
    fileKey.fill(0);
  }
}
