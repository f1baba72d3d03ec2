/**
 * Declarations and template files are text: a file that is not valid UTF-8 is an error naming
 * it and the offset of the first bad byte, never rendered with U+FFFD in place of its bytes.
 */
import { usageError } from "../errors.js";

const decoder = new TextDecoder("utf-8", { fatal: true });

/** The offset of the first byte that does not start or continue a valid UTF-8 sequence. */
export function invalidUtf8Offset(b: Uint8Array): number | undefined {
  for (let i = 0; i < b.length;) {
    const c = b[i] ?? 0;
    let n: number;
    let min: number;
    if (c < 0x80) {
      i++;
      continue;
    } else if (c >= 0xc2 && c <= 0xdf) [n, min] = [1, 0x80];
    else if (c >= 0xe0 && c <= 0xef) [n, min] = [2, 0x800];
    else if (c >= 0xf0 && c <= 0xf4) [n, min] = [3, 0x10000];
    else return i;
    let cp = c & (0x3f >> n);
    for (let k = 1; k <= n; k++) {
      const d = b[i + k];
      if (d === undefined || (d & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (d & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += n + 1;
  }
  return undefined;
}

/** `bytes` as text; a usage error naming `what` and the byte offset when not UTF-8. */
export function decodeUtf8(bytes: Uint8Array, what: string): string {
  try {
    return decoder.decode(bytes);
  } catch {
    const at = invalidUtf8Offset(bytes) ?? 0;
    throw usageError(`${what} is not valid UTF-8 (byte offset ${String(at)})`);
  }
}
