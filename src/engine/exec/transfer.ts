/**
 * Bytes sent between the main thread and the pool's workers. A message copies a typed array's
 * whole ArrayBuffer, and node:crypto's small outputs (and Buffer.from of a short string) are
 * views into Buffer's shared 8 KiB pool: every message of a rekey copied a pool, a third of a
 * worker's time. Bytes are sent in an ArrayBuffer of their own, transferred (moved, not
 * copied again).
 */

/** `bytes` itself when it owns its whole ArrayBuffer; a copy that does otherwise. */
export function own(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  if (
    bytes.buffer instanceof ArrayBuffer &&
    bytes.byteOffset === 0 &&
    bytes.byteLength === bytes.buffer.byteLength
  )
    return bytes as Uint8Array<ArrayBuffer>;
  return new Uint8Array(bytes);
}

/** A copy of `bytes` in an ArrayBuffer of its own: the caller keeps `bytes`, the copy moves. */
export function copyToSend(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  return new Uint8Array(bytes);
}
