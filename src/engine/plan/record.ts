/** The one place an entropy record is made: a render's, a script's, a set or adopted value's. */
import type { SecretDecl } from "../../declarations/index.js";
import { sha256Hex, type EntropyRecord, RENDERER_VERSION } from "../../store/index.js";

export interface RecordParts {
  /** Bytes the render consumed (none for script, manual and adopted values). */
  entropy?: Uint8Array;
  memo?: Record<string, string>;
  /** Digests of the values the output was made from. */
  dependencies?: Record<string, string>;
  /** Adopted: kept until its declaration changes or it is rotated. */
  pinned?: boolean;
}

/** The record of `value`, made now for today's declaration of the secret. */
export function newRecord(
  decl: SecretDecl,
  value: Uint8Array,
  parts: RecordParts = {},
): EntropyRecord {
  return {
    renderer: RENDERER_VERSION,
    generator: decl.generator.kind,
    declarationHash: decl.declarationHash,
    entropy: parts.entropy ?? new Uint8Array(0),
    output: sha256Hex(value),
    memo: parts.memo ?? {},
    dependencies: parts.dependencies ?? {},
    pinned: parts.pinned ?? false,
  };
}
