/**
 * A strict parser of the age v1 header for the fast path. It accepts exactly the grammar of
 * age-encryption.org/v1 (version line, stanzas with canonical base64 bodies wrapped at 64
 * columns, `--- MAC` line) and reports anything else as a reason, never throwing: the caller
 * falls back to age-encryption, which decides. Also the writer of headers (writeHeader).
 */
import { createHmac } from "node:crypto";
import { decodeBase64NoPad, encodeBase64NoPad } from "./base64.js";
import type { StanzaLike } from "./identity.js";
import { hkdf32 } from "./primitives.js";

const VERSION = "age-encryption.org/v1";
const LF = 0x0a;

/** A strictly parsed header. */
export interface Header {
  stanzas: StanzaLike[];
  /** The header bytes the MAC covers: up to and including `---`. */
  macInput: Uint8Array;
  mac: Uint8Array;
  /** Offset of the payload (the byte after the MAC line). */
  end: number;
}

/** Why the strict parser did not return a header. Public facts only, never file content. */
export type HeaderReject =
  | { reason: "not-age" }
  | { reason: "unsupported-version" }
  | { reason: "malformed"; detail: string };

/** The header, or why it was rejected. */
export type HeaderResult = { header: Header } | HeaderReject;

class Lines {
  pos = 0;
  constructor(readonly bytes: Uint8Array) {}

  /** The next line without its LF; null at EOF, without LF, or with a byte outside 0x20–0x7e. */
  next(): string | null {
    const start = this.pos;
    const end = this.bytes.indexOf(LF, start);
    if (end < 0) return null;
    for (let i = start; i < end; i++) {
      const c = this.bytes[i] ?? 0;
      if (c < 0x20 || c > 0x7e) return null;
    }
    this.pos = end + 1;
    return Buffer.from(this.bytes.buffer, this.bytes.byteOffset + start, end - start).toString(
      "latin1",
    );
  }
}

function malformed(detail: string): HeaderReject {
  return { reason: "malformed", detail };
}

/** Parse the header at the start of `bytes` (binary, not armored). */
export function parseHeader(bytes: Uint8Array): HeaderResult {
  const lines = new Lines(bytes);
  const version = lines.next();
  if (version !== VERSION) {
    const start = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.length, 19)).toString(
      "latin1",
    );
    if (start === "age-encryption.org/")
      return version === null ? malformed("version line") : { reason: "unsupported-version" };
    return { reason: "not-age" };
  }
  const stanzas: StanzaLike[] = [];
  for (;;) {
    const lineStart = lines.pos;
    const line = lines.next();
    if (line === null) return malformed("truncated or invalid header line");
    if (line.startsWith("--- ")) {
      const mac = decodeBase64NoPad(line.slice(4));
      if (mac?.length !== 32) return malformed("invalid MAC line");
      return {
        header: { stanzas, macInput: bytes.subarray(0, lineStart + 3), mac, end: lines.pos },
      };
    }
    if (!line.startsWith("-> ")) return malformed("expected a stanza or the MAC line");
    const args = line.slice(3).split(" ");
    if (args.some((a) => a.length === 0)) return malformed("empty stanza argument");
    const body: Uint8Array[] = [];
    for (;;) {
      const b = lines.next();
      if (b === null || b.length > 64) return malformed("invalid stanza body line");
      const chunk = decodeBase64NoPad(b);
      if (chunk === null) return malformed("invalid stanza body base64");
      body.push(chunk);
      if (b.length < 64) break;
    }
    stanzas.push({ args, body: Buffer.concat(body) });
  }
}

/**
 * The stanza types of a header that may not parse strictly (for messages): the first argument
 * of each `-> ` line before the MAC line, in order, each cut to 32 characters.
 */
export function stanzaTypes(bytes: Uint8Array): string[] {
  const head = Buffer.from(
    bytes.buffer,
    bytes.byteOffset,
    Math.min(bytes.length, 1 << 16),
  ).toString("latin1");
  const types: string[] = [];
  for (const line of head.split("\n")) {
    if (line.startsWith("---")) break;
    if (!line.startsWith("-> ")) continue;
    const type = line.slice(3).split(" ")[0] ?? "";
    if (/^[\x21-\x7e]+$/.test(type)) types.push(type.slice(0, 32));
  }
  return types;
}

/**
 * A header in age's canonical form: the version line, each stanza (`-> ARGS`, then its body in
 * unpadded base64 wrapped at 64 columns, its last line shorter than 64, so empty when the
 * encoding fills whole lines), and the MAC line: HMAC-SHA256 under HKDF(file key, "header")
 * of everything up to and including `---`.
 */
export function writeHeader(stanzas: readonly StanzaLike[], fileKey: Uint8Array): Buffer {
  let text = `${VERSION}\n`;
  for (const s of stanzas) {
    text += `-> ${s.args.join(" ")}\n`;
    const body = encodeBase64NoPad(s.body);
    for (let i = 0; i < body.length; i += 64) text += `${body.slice(i, i + 64)}\n`;
    if (body.length % 64 === 0) text += "\n";
  }
  text += "---";
  const mac = createHmac("sha256", hkdf32(fileKey, new Uint8Array(0), "header"))
    .update(text, "latin1")
    .digest();
  return Buffer.from(`${text} ${encodeBase64NoPad(mac)}\n`, "latin1");
}
