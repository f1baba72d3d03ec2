/**
 * Shared by the keypair tests: a render context over fixed bytes, and the real tools' views of
 * a rendered key (each tool reads the key from a private 0600 file or from stdin).
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { KeypairSpec } from "../../src/declarations/types.js";
import type { RenderContext, RenderResult } from "../../src/engine/context.js";
import { EntropyStream } from "../../src/engine/entropy.js";

export function fixedContext(secret: string, bytes: Uint8Array): RenderContext {
  return {
    secret,
    entropy: new EntropyStream(bytes),
    readSecret: (name) => {
      throw new Error(`keypairs read no secrets (asked for ${name})`);
    },
    memo: (_key, compute) => compute(),
  };
}

export type Render = (spec: KeypairSpec, ctx: RenderContext) => RenderResult;

/** Render from exactly these bytes (a pure replay: asking for more throws). */
export function renderWith(
  render: Render,
  kind: KeypairSpec["kind"],
  secret: string,
  bytes: Uint8Array,
) {
  const ctx = fixedContext(secret, bytes);
  const out = render({ kind }, ctx);
  return {
    value: new TextDecoder().decode(out.value),
    publicKey: out.publicKey,
    drawn: ctx.entropy.position,
  };
}

export function hex(s: string): Uint8Array {
  return Uint8Array.from(Buffer.from(s, "hex"));
}

/** Run `fn` with `content` in a fresh private file; the file and its directory go afterwards. */
export function withPrivateFile<T>(content: string, fn: (path: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), "sg-keypair-test-"));
  try {
    const path = join(dir, "key");
    writeFileSync(path, content, { mode: 0o600 });
    return fn(path);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export const tools = {
  wgPubkey: (privateKey: string) =>
    execFileSync("wg", ["pubkey"], { input: privateKey, encoding: "utf8" }),
  sshPublic: (file: string) =>
    withPrivateFile(file, (p) => execFileSync("ssh-keygen", ["-y", "-f", p], { encoding: "utf8" })),
  sshFingerprint: (file: string) =>
    withPrivateFile(file, (p) => execFileSync("ssh-keygen", ["-l", "-f", p], { encoding: "utf8" })),
  ageRecipient: (identity: string) =>
    withPrivateFile(identity, (p) => execFileSync("age-keygen", ["-y", p], { encoding: "utf8" })),
};
