/**
 * `ssh-ed25519`: an OpenSSH ed25519 key pair, as `ssh-keygen -t ed25519 -N ""` writes it.
 *
 * Draws exactly 36 bytes, in this order: 32 bytes of ed25519 seed (the RFC 8032 private key),
 * then 4 bytes used as the check integer (big-endian; written twice, both check integers are
 * equal, as the format requires). The value is the unencrypted `openssh-key-v1` file: cipher
 * and kdf "none", one key, the secret's name as its comment, padding 1, 2, 3, … to a multiple
 * of 8 bytes, base64 wrapped at 70 columns between the BEGIN/END lines, with a final newline.
 * The public key is `ssh-ed25519 BASE64 NAME` and a newline (what `ssh-keygen -y` prints).
 * Pure: no I/O.
 */
import { ed25519PublicKey } from "./curve25519.js";
import type { KeypairSpec } from "../../../declarations/index.js";
import type { RenderContext, RenderResult } from "../../context.js";

/** Bytes drawn from the stream: the seed, then the check integer. */
export const SSH_ED25519_SEED_DRAW = 32;
export const SSH_ED25519_CHECKINT_DRAW = 4;

const KEY_TYPE = "ssh-ed25519";
const AUTH_MAGIC = "openssh-key-v1\0";
/** Block size of the "none" cipher: the private section is padded to a multiple of it. */
const BLOCK_SIZE = 8;
const LINE_WIDTH = 70;

/** SSH wire encoding (RFC 4251): uint32 and length-prefixed strings. */
class WireWriter {
  private readonly parts: Uint8Array[] = [];
  private size = 0;

  raw(bytes: Uint8Array): this {
    this.parts.push(bytes);
    this.size += bytes.length;
    return this;
  }

  uint32(n: number): this {
    const b = new Uint8Array(4);
    new DataView(b.buffer).setUint32(0, n >>> 0, false);
    return this.raw(b);
  }

  string(s: Uint8Array | string): this {
    const bytes = typeof s === "string" ? new TextEncoder().encode(s) : s;
    return this.uint32(bytes.length).raw(bytes);
  }

  get length(): number {
    return this.size;
  }

  bytes(): Uint8Array {
    const out = new Uint8Array(this.size);
    let at = 0;
    for (const p of this.parts) {
      out.set(p, at);
      at += p.length;
    }
    return out;
  }
}

/** The ssh wire form of an ed25519 public key: string "ssh-ed25519", string key. */
export function sshEd25519PublicBlob(publicKey: Uint8Array): Uint8Array {
  return new WireWriter().string(KEY_TYPE).string(publicKey).bytes();
}

/**
 * The unencrypted OpenSSH private key file for an ed25519 seed, byte for byte as ssh-keygen
 * writes it.
 * @param checkint the check integer (0 … 2^32-1), written twice
 */
export function encodeOpenSshEd25519(seed: Uint8Array, checkint: number, comment: string): string {
  if (seed.length !== 32) throw new RangeError(`an ed25519 seed is 32 bytes, got ${seed.length}`);
  const publicKey = ed25519PublicKey(seed);
  const secret = new Uint8Array(64);
  secret.set(seed, 0);
  secret.set(publicKey, 32);

  const priv = new WireWriter()
    .uint32(checkint)
    .uint32(checkint)
    .string(KEY_TYPE)
    .string(publicKey)
    .string(secret)
    .string(comment);
  const padding = (BLOCK_SIZE - (priv.length % BLOCK_SIZE)) % BLOCK_SIZE;
  for (let i = 1; i <= padding; i++) priv.raw(Uint8Array.of(i));

  const file = new WireWriter()
    .raw(new TextEncoder().encode(AUTH_MAGIC))
    .string("none") // cipher
    .string("none") // kdf
    .string("") // kdf options
    .uint32(1) // number of keys
    .string(sshEd25519PublicBlob(publicKey))
    .string(priv.bytes())
    .bytes();

  const b64 = Buffer.from(file).toString("base64");
  const lines: string[] = [];
  for (let i = 0; i < b64.length; i += LINE_WIDTH) lines.push(b64.slice(i, i + LINE_WIDTH));
  return `-----BEGIN OPENSSH PRIVATE KEY-----\n${lines.join("\n")}\n-----END OPENSSH PRIVATE KEY-----\n`;
}

/** `ssh-ed25519 BASE64 COMMENT` for an ed25519 seed (no newline). */
export function sshEd25519PublicLine(seed: Uint8Array, comment: string): string {
  const blob = sshEd25519PublicBlob(ed25519PublicKey(seed));
  return `${KEY_TYPE} ${Buffer.from(blob).toString("base64")} ${comment}`;
}

export function render(_spec: KeypairSpec, ctx: RenderContext): RenderResult {
  const seed = ctx.entropy.draw(SSH_ED25519_SEED_DRAW);
  const check = ctx.entropy.draw(SSH_ED25519_CHECKINT_DRAW);
  const checkint = new DataView(check.buffer, check.byteOffset, 4).getUint32(0, false);
  return {
    value: new TextEncoder().encode(encodeOpenSshEd25519(seed, checkint, ctx.secret)),
    publicKey: sshEd25519PublicLine(seed, ctx.secret) + "\n",
  };
}
