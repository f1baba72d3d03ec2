/**
 * The claim flag of a file decrypted early (early-decrypt.ts), one Int32 per file in shared
 * memory: set once, by compare-and-exchange, by whichever thread gets to it first.
 */
export const UNCLAIMED = 0;
export const WORKER = 1;
export const HERE = 2;
