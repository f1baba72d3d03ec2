/**
 * Fixtures of the age tests: the throwaway keys and golden files in test/fixtures/age (DEMO/TEST
 * ONLY), private (0600) copies of keys, and temp directories.
 */
import { createHash } from "node:crypto";
import { chmodSync, copyFileSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { loadIdentityFile, type Identity } from "../../src/age/index.js";

export const FIXTURES = resolve(import.meta.dirname, "../fixtures/age");
export const PASSPHRASE = "secretgen-test-pass";

export function fixture(name: string): Buffer {
  return readFileSync(join(FIXTURES, name));
}

export function fixtureText(name: string): string {
  return fixture(name).toString("utf8");
}

/** A fresh temp directory and a function removing it. */
export function tempDir(prefix = "sg-age-"): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return {
    dir,
    cleanup: () => {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Copy a fixture key to `dir` with mode 0600 (git checks keys out 0644). */
export function privateCopy(name: string, dir: string): string {
  const dst = join(dir, name);
  copyFileSync(join(FIXTURES, name), dst);
  chmodSync(dst, 0o600);
  return dst;
}

/** A passphrase callback that fails the test when it is called. */
export const noPassphrase = (): Promise<string> =>
  Promise.reject(new Error("passphrase asked unexpectedly"));

/** Load a fixture key (from a private copy) with the test passphrase available. */
export async function fixtureIdentities(name: string): Promise<Identity[]> {
  const { dir, cleanup } = tempDir();
  try {
    const loaded = await loadIdentityFile(privateCopy(name, dir), {
      passphrase: () => Promise.resolve(PASSPHRASE),
    });
    return loaded.identities;
  } finally {
    cleanup();
  }
}

/** The recipient text of a `.pub` fixture without its comment. */
export function publicKey(name: string): string {
  return fixtureText(name).trim().split(/\s+/).slice(0, 2).join(" ");
}

/** The key material strings of a fixture key file, to assert that no message contains them. */
export function keyMaterial(name: string): string[] {
  const text = fixtureText(name);
  const out: string[] = [...(text.match(/AGE-SECRET-KEY-1[0-9A-Z]+/g) ?? [])];
  const pem = /-----BEGIN [A-Z ]+-----\n([\s\S]*?)\n-----END/.exec(text)?.[1];
  if (pem !== undefined) out.push(...pem.split("\n").filter((l) => l.length >= 16));
  return out;
}

/**
 * Length and SHA-256 of some bytes (null stays null): compare large buffers through this, since
 * deep equality on a 300 KB Buffer is slow.
 */
export function digest(bytes: Uint8Array | null): string | null {
  return bytes === null
    ? null
    : `${bytes.length}:${createHash("sha256").update(bytes).digest("hex")}`;
}
