/**
 * Loading an identity file from disk, with ssh's warning for a file others can read.
 */
import { readFile, stat } from "node:fs/promises";
import { runtimeError, type Warning } from "../errors.js";
import type { Identity } from "./identity.js";
import { parseIdentityBytes } from "./identity-file.js";

const REASONS: Record<string, string | undefined> = {
  ENOENT: "no such file",
  EACCES: "permission denied",
  EISDIR: "it is a directory",
};

/**
 * Read and parse an identity file (see parseIdentities); `passphrase(path)` is asked only for
 * a protected key. `warnings` holds plain sentences (no prefix), e.g. when the file is
 * readable by group or others.
 *
 * @throws a SecretgenError (exit 3) when the file cannot be read, and parseIdentities' errors.
 */
export async function loadIdentityFile(
  path: string,
  opts: { passphrase: (path: string) => Promise<string> },
): Promise<{ identities: Identity[]; warnings: Warning[] }> {
  let bytes: Buffer;
  let mode: number;
  try {
    [bytes, mode] = await Promise.all([readFile(path), stat(path).then((s) => s.mode)]);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? "";
    const reason = REASONS[code] ?? (err as Error).message;
    throw runtimeError(`cannot read identity file ${path}: ${reason}`, {
      reason: "io",
      cause: err,
    });
  }
  const warnings: Warning[] = [];
  if (process.platform !== "win32" && (mode & 0o044) !== 0) {
    const octal = (mode & 0o777).toString(8).padStart(4, "0");
    warnings.push({
      message: `identity file ${path} is readable by group or others (mode ${octal}); protect it with chmod 600`,
    });
  }
  const identities = await parseIdentityBytes(bytes, {
    source: path,
    passphrase: () => opts.passphrase(path),
  });
  return { identities, warnings };
}
