/**
 * The bounds of a `random` secret, shared by the declaration validator and the engine's
 * `random` generator and function (engine/random.ts, engine/functions/random.ts). Here, in the
 * lowest layer that uses them, so that both read the same numbers.
 */

/** Characters a `random` string has when `length` is not given. */
export const DEFAULT_RANDOM_LENGTH = 32;
/** Longest `random` string (`length`). */
export const MAX_RANDOM_LENGTH = 4096;
/** Largest `random` byte count (`bytes`). */
export const MAX_RANDOM_BYTES = 65536;
/** Fewest and most characters of a literal `alphabet` (one byte is drawn per character). */
export const MIN_ALPHABET = 2;
export const MAX_ALPHABET = 256;
