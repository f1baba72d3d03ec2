/**
 * ASCII armor (`-----BEGIN AGE ENCRYPTED FILE-----`): decoded through age-encryption's strict
 * codec, encoded here (armorEncodeSync, byte for byte what age-encryption's encoder writes).
 */
import { typage } from "./typage.js";
import { malformed } from "./errors.js";

const WHITESPACE = new Set([0x20, 0x09, 0x0a, 0x0d]);

/** True when the file, after leading whitespace, starts with `-----`: armor, or nothing valid. */
export function looksArmored(bytes: Uint8Array): boolean {
  let i = 0;
  while (WHITESPACE.has(bytes[i] ?? 0)) i++;
  return (
    Buffer.from(bytes.buffer, bytes.byteOffset + i, Math.min(5, bytes.length - i)).toString(
      "latin1",
    ) === "-----"
  );
}

/** Armor a binary age file (with a final newline). */
export async function armorEncode(binary: Uint8Array): Promise<Uint8Array> {
  const { armor } = await typage();
  return Buffer.from(armor.encode(binary), "latin1");
}

/**
 * Armor a binary age file without loading age-encryption: the BEGIN line, padded base64 in
 * lines of 64 columns (the last one shorter or full, never empty), the END line, each line
 * ending in LF.
 */
export function armorEncodeSync(binary: Uint8Array): Buffer {
  const b64 = Buffer.from(binary.buffer, binary.byteOffset, binary.byteLength).toString("base64");
  let text = "-----BEGIN AGE ENCRYPTED FILE-----\n";
  for (let i = 0; i < b64.length; i += 64) text += `${b64.slice(i, i + 64)}\n`;
  return Buffer.from(`${text}-----END AGE ENCRYPTED FILE-----\n`, "latin1");
}

/** Remove the armor. @throws an AgeError (`malformed`) for anything but valid age armor. */
export async function armorDecode(bytes: Uint8Array): Promise<Uint8Array> {
  const { armor } = await typage();
  try {
    return armor.decode(
      Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("latin1"),
    );
  } catch {
    throw malformed("invalid ASCII armor");
  }
}
