/**
 * The stanza wire format of the age plugin protocol (C2SP age-plugin.md): the age v1 header's
 * stanza encoding, `-> TYPE ARGS…` then the body in canonical unpadded base64, 64 columns per
 * line, ended by a shorter (possibly empty) line. Pure: encoding to text, and an incremental
 * parser fed with the bytes a plugin writes.
 */
import { decodeBase64NoPad, encodeBase64NoPad } from "./base64.js";

/** A protocol stanza: a command or response type, its arguments and its body. */
export interface WireStanza {
  readonly type: string;
  readonly args: readonly string[];
  readonly body: Uint8Array;
}

/** A line longer than this is a protocol violation (bodies are split at 64 columns). */
const MAX_LINE = 1 << 20;
const ARG = /^[\x21-\x7e]+$/;

/** Whether `s` is a valid stanza argument (or type): printable ASCII, no space, not empty. */
export function isArgument(s: string): boolean {
  return ARG.test(s);
}

/** One stanza as wire text. @throws a TypeError for an invalid type or argument. */
export function encodeStanza(
  type: string,
  args: readonly string[] = [],
  body: Uint8Array = new Uint8Array(0),
): string {
  for (const a of [type, ...args]) {
    if (!isArgument(a)) throw new TypeError("invalid stanza argument");
  }
  const b64 = encodeBase64NoPad(body);
  let out = `-> ${[type, ...args].join(" ")}\n`;
  let i = 0;
  for (; i + 64 <= b64.length; i += 64) out += b64.slice(i, i + 64) + "\n";
  return out + b64.slice(i) + "\n";
}

/** Why the bytes from a plugin are not a stanza; `detail` names the rule, never the bytes. */
export class WireError extends Error {
  constructor(readonly detail: string) {
    super(detail);
    this.name = "WireError";
  }
}

/**
 * Incremental parser: `push` the bytes as they arrive, `next` returns each complete stanza
 * (or undefined until one is complete). Throws a WireError for anything that is not the
 * grammar: a first line without `-> `, empty or non-printable arguments, body lines over 64
 * columns or not canonical base64, lines over 1 MiB.
 */
export class StanzaParser {
  private buffer = "";
  private head: string[] | null = null;
  private body: Buffer[] = [];

  push(chunk: Uint8Array): void {
    this.buffer += Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength).toString("latin1");
    if (this.buffer.length > MAX_LINE && !this.buffer.includes("\n")) {
      throw new WireError("a line longer than 1 MiB");
    }
  }

  /** Bytes received that are not part of a complete stanza yet. */
  get pending(): boolean {
    return this.buffer.length > 0 || this.head !== null;
  }

  next(): WireStanza | undefined {
    for (;;) {
      const nl = this.buffer.indexOf("\n");
      if (nl < 0) return undefined;
      const line = this.buffer.slice(0, nl);
      this.buffer = this.buffer.slice(nl + 1);
      if (this.head === null) {
        this.head = parseHead(line);
        continue;
      }
      if (line.length > 64) throw new WireError("a body line longer than 64 columns");
      const chunk = decodeBase64NoPad(line);
      if (chunk === null) throw new WireError("a body line that is not canonical base64");
      this.body.push(chunk);
      if (line.length === 64) continue;
      const [type = "", ...args] = this.head;
      const stanza = { type, args, body: Buffer.concat(this.body) };
      this.head = null;
      this.body = [];
      return stanza;
    }
  }
}

function parseHead(line: string): string[] {
  if (!line.startsWith("-> ")) throw new WireError("a line that does not start a stanza (-> …)");
  const parts = line.slice(3).split(" ");
  if (!parts.every(isArgument)) throw new WireError("an empty or non-printable stanza argument");
  return parts;
}
