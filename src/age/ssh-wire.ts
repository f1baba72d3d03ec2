/**
 * The SSH wire encoding (RFC 4251 §5): uint32, length-prefixed strings and mpints, as used by
 * public key blobs and `openssh-key-v1` private keys. Plus the age tag of an SSH key.
 */
import { encodeBase64NoPad } from "./base64.js";
import { sha256 } from "./primitives.js";

/** Reads SSH wire values; every read returns null past the end instead of throwing. */
export class WireReader {
  private offset = 0;

  constructor(private readonly bytes: Uint8Array) {}

  get remaining(): number {
    return this.bytes.length - this.offset;
  }

  uint32(): number | null {
    if (this.remaining < 4) return null;
    const b = this.bytes;
    const o = this.offset;
    this.offset += 4;
    return (
      (((b[o] ?? 0) << 24) | ((b[o + 1] ?? 0) << 16) | ((b[o + 2] ?? 0) << 8) | (b[o + 3] ?? 0)) >>>
      0
    );
  }

  string(): Uint8Array | null {
    const n = this.uint32();
    if (n === null || n > this.remaining) return null;
    const out = this.bytes.subarray(this.offset, this.offset + n);
    this.offset += n;
    return out;
  }

  text(): string | null {
    const s = this.string();
    return s === null ? null : Buffer.from(s).toString("latin1");
  }

  /** An mpint as a non-negative bigint; null for negative or non-minimal encodings. */
  mpint(): bigint | null {
    const s = this.string();
    if (s === null || s.length === 0) return s === null ? null : 0n;
    const first = s[0] ?? 0;
    if (first & 0x80) return null;
    if (first === 0 && s.length > 1 && ((s[1] ?? 0) & 0x80) === 0) return null;
    return BigInt("0x" + Buffer.from(s).toString("hex"));
  }

  rest(): Uint8Array {
    const out = this.bytes.subarray(this.offset);
    this.offset = this.bytes.length;
    return out;
  }
}

/** Builds SSH wire values. */
export class WireWriter {
  private readonly parts: Uint8Array[] = [];

  uint32(n: number): this {
    const b = Buffer.alloc(4);
    b.writeUInt32BE(n);
    this.parts.push(b);
    return this;
  }

  string(s: Uint8Array | string): this {
    const bytes = typeof s === "string" ? Buffer.from(s, "latin1") : s;
    this.uint32(bytes.length);
    this.parts.push(bytes);
    return this;
  }

  mpint(n: bigint): this {
    if (n === 0n) return this.string(new Uint8Array(0));
    let hex = n.toString(16);
    if (hex.length % 2 === 1) hex = "0" + hex;
    if (parseInt(hex.slice(0, 2), 16) & 0x80) hex = "00" + hex;
    return this.string(Buffer.from(hex, "hex"));
  }

  bytes(): Buffer {
    return Buffer.concat(this.parts);
  }
}

/** Big-endian bytes of a non-negative bigint, without leading zeros. */
export function bigintBytes(n: bigint): Buffer {
  let hex = n.toString(16);
  if (hex.length % 2 === 1) hex = "0" + hex;
  return Buffer.from(hex, "hex");
}

/** A non-negative bigint from big-endian bytes. */
export function bytesBigint(bytes: Uint8Array): bigint {
  return bytes.length === 0 ? 0n : BigInt("0x" + Buffer.from(bytes).toString("hex"));
}

/** age's stanza tag of an SSH key: base64 (no padding) of the first 4 bytes of SHA-256(blob). */
export function sshTag(publicBlob: Uint8Array): string {
  return encodeBase64NoPad(sha256(publicBlob).subarray(0, 4));
}
