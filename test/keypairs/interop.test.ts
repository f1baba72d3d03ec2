/**
 * The keypair generators against the real tools: random seeds through `wg pubkey`,
 * `ssh-keygen -y/-l`, `age-keygen -y`; a key written by `ssh-keygen` itself re-rendered byte
 * for byte from its own seed and checkint; and encryption round trips with `age`.
 */
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, it } from "vitest";
import { render as renderWireguard } from "../../src/engine/render/generators/wireguard.js";
import {
  encodeOpenSshEd25519,
  render as renderSsh,
} from "../../src/engine/render/generators/ssh-ed25519.js";
import { render as renderAge } from "../../src/engine/render/generators/age-key.js";
import { describeWithTools } from "../helpers/tools.js";
import { renderWith, tools, withPrivateFile } from "./helpers.js";

const SEEDS = Array.from({ length: 20 }, (_, i) => ({ i, bytes: new Uint8Array(randomBytes(36)) }));

describeWithTools(["wg"], "wireguard: random seeds through wg pubkey", () => {
  it.for(SEEDS)("seed $i", ({ bytes }) => {
    const out = renderWith(renderWireguard, "wireguard", "wg/x", bytes.subarray(0, 32));
    expect(out.value).toMatch(/^[A-Za-z0-9+/]{43}=\n$/);
    expect(tools.wgPubkey(out.value)).toBe(out.publicKey);
  });
});

describeWithTools(["ssh-keygen"], "ssh-ed25519: random seeds through ssh-keygen", () => {
  it.for(SEEDS)("seed $i", ({ bytes, i }) => {
    const name = `hosts/h${i}.example+1`;
    const out = renderWith(renderSsh, "ssh-ed25519", name, bytes);
    expect(tools.sshPublic(out.value)).toBe(out.publicKey);
    expect(tools.sshFingerprint(out.value)).toMatch(
      new RegExp(`^256 SHA256:\\S+ ${name.replace(/[.+]/g, "\\$&")} \\(ED25519\\)\n$`),
    );
  });

  it("re-renders a key written by ssh-keygen byte for byte", () => {
    const dir = mkdtempSync(join(tmpdir(), "sg-keypair-test-"));
    try {
      for (const comment of ["a", "web01/ssh_host_ed25519_key", "x".repeat(13)]) {
        const path = join(dir, `k${comment.length}`);
        execFileSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", comment, "-f", path]);
        const file = readFileSync(path, "utf8");
        const blob = Buffer.from(file.split("\n").slice(1, -2).join(""), "base64");
        // the private section follows the 51-byte public blob; its secret is seed ‖ public
        const priv = blob.subarray(15 + 8 + 8 + 4 + 4 + 4 + 51 + 4);
        const checkint = priv.readUInt32BE(0);
        const seed = priv.subarray(8 + 4 + 11 + 4 + 32 + 4, 8 + 4 + 11 + 4 + 32 + 4 + 32);
        expect(encodeOpenSshEd25519(seed, checkint, comment)).toBe(file);
        expect(readFileSync(`${path}.pub`, "utf8")).toBe(tools.sshPublic(file));
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describeWithTools(["age-keygen"], "age: random seeds through age-keygen -y", () => {
  it.for(SEEDS)("seed $i", ({ bytes }) => {
    const out = renderWith(renderAge, "age", "age/x", bytes.subarray(0, 32));
    expect(out.value).toMatch(/^AGE-SECRET-KEY-1[02-9ACDEFGHJKLMNPQRSTUVWXYZ]{58}\n$/);
    expect(tools.ageRecipient(out.value)).toBe(out.publicKey);
  });
});

describeWithTools(["age"], "age encrypts to our keys and decrypts with them", () => {
  const roundTrip = (recipient: string, identity: string) =>
    withPrivateFile(identity, (idFile) => {
      const ciphertext = execFileSync("age", ["-r", recipient.trim()], { input: "hello" });
      return execFileSync("age", ["-d", "-i", idFile], { input: ciphertext, encoding: "utf8" });
    });

  it("an age key", () => {
    const out = renderWith(renderAge, "age", "age/x", new Uint8Array(randomBytes(32)));
    expect(roundTrip(out.publicKey ?? "", out.value)).toBe("hello");
  });

  it("an ssh-ed25519 key", () => {
    const out = renderWith(renderSsh, "ssh-ed25519", "ssh/x", new Uint8Array(randomBytes(36)));
    expect(roundTrip(out.publicKey ?? "", out.value)).toBe("hello");
  });
});
