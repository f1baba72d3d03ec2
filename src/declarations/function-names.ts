/**
 * The names of every function (canonical names and ASG aliases), without loading the functions:
 * declaration checks that only need the names stay light. A test keeps this list equal to the
 * registry in engine/functions/index.ts. Here, below the engine, because validation needs it.
 */
export const FUNCTION_NAME_LIST: readonly string[] = [
  "base64",
  "bcrypt",
  "concat",
  "fmt",
  "hashBcrypt",
  "json",
  "random",
  "readSecret",
  "secret",
  "sha256",
  "trim",
];

export function isKnownFunction(name: string): boolean {
  return FUNCTION_NAME_LIST.includes(name);
}
