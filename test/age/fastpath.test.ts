/**
 * The fast path: which files it decides, and that it agrees with age-encryption byte for byte
 * on payloads around the 64 KiB chunk size.
 */
import { randomBytes } from "node:crypto";
import { Decrypter, Encrypter } from "age-encryption";
import { describe, expect, it } from "vitest";
import {
  decrypt,
  encrypt,
  fastDecrypt,
  identityRecipient,
  type Recipient,
} from "../../src/age/index.js";
import { digest, fixtureText, fixtureIdentities, publicKey } from "./fixtures.js";

const x25519 = await fixtureIdentities("x25519.key");
const ed25519 = await fixtureIdentities("ssh_ed25519");
const rsa = await fixtureIdentities("ssh_rsa");
const xR: Recipient = { type: "x25519", text: fixtureText("x25519.pub").trim() };
const edR: Recipient = { type: "ssh-ed25519", text: publicKey("ssh_ed25519.pub") };
const rsaR: Recipient = { type: "ssh-rsa", text: publicKey("ssh_rsa.pub") };
const X25519_SECRET = /^AGE-SECRET-KEY-1.*$/m.exec(fixtureText("x25519.key"))?.[0] ?? "";

it("the fixture recipients are the identities' public sides", () => {
  const sides = [x25519, ed25519, rsa].map((ids) => ids.map(identityRecipient));
  expect(sides).toEqual([[xR], [edR], [rsaR]]);
});

describe("fastDecrypt decides", () => {
  const plaintext = Buffer.from("fast path\n");
  it.for([
    { name: "X25519 file, X25519 identity", to: () => [xR], ids: () => x25519 },
    { name: "ssh-ed25519 file, ssh-ed25519 identity", to: () => [edR], ids: () => ed25519 },
    { name: "X25519 + ssh-rsa stanzas, X25519 identity", to: () => [rsaR, xR], ids: () => x25519 },
    {
      name: "ssh-ed25519 + ssh-rsa stanzas, RSA identity tried after",
      to: () => [edR, rsaR],
      ids: () => [...ed25519, ...rsa],
    },
    {
      name: "X25519 file, RSA identity first (it cannot match)",
      to: () => [xR],
      ids: () => [...rsa, ...x25519],
    },
  ])("$name", async ({ to, ids }) => {
    const file = await encrypt(plaintext, to());
    const out = fastDecrypt(file, ids());
    expect(digest(out)).toBe(digest(plaintext));
  });
});

describe("fastDecrypt declines (null) and decrypt's fallback decides", () => {
  const plaintext = Buffer.from("slow path\n");
  it.for([
    {
      name: "armored",
      make: () => encrypt(plaintext, [xR], { armor: true }),
      ids: () => x25519,
    },
    {
      name: "ssh-rsa stanza with an RSA identity to try",
      make: () => encrypt(plaintext, [rsaR]),
      ids: () => rsa,
    },
    {
      name: "RSA identity before X25519 on a mixed file",
      make: () => encrypt(plaintext, [xR, rsaR]),
      ids: () => [...rsa, ...x25519],
    },
    {
      name: "scrypt (passphrase) file",
      make: () => {
        const e = new Encrypter();
        e.setPassphrase("p");
        e.setScryptWorkFactor(4);
        return e.encrypt(plaintext);
      },
      ids: () => x25519,
      error: "unsupported",
    },
  ])("$name", async ({ make, ids, error }) => {
    const file = await make();
    expect(fastDecrypt(file, ids())).toBeNull();
    if (error === undefined) expect(digest(await decrypt(file, ids()))).toBe(digest(plaintext));
    else await expect(decrypt(file, ids())).rejects.toMatchObject({ kind: error });
  });
});

describe("payload sizes around the chunk boundary agree with age-encryption", () => {
  it.for([0, 1, 16, 65535, 65536, 65537, 131072, 131073, 300_000])("%i bytes", async (size) => {
    const plaintext = randomBytes(size);
    for (const [to, ids] of [
      [xR, x25519],
      [edR, ed25519],
    ] as const) {
      const file = await encrypt(plaintext, [to]);
      const fast = fastDecrypt(file, ids);
      expect(digest(fast)).toBe(digest(plaintext));
    }
    // A file made by age-encryption alone, read by the fast path; and the reverse.
    const e = new Encrypter();
    e.addRecipient(xR.text);
    const theirs = await e.encrypt(plaintext);
    const mine = fastDecrypt(theirs, x25519);
    expect(digest(mine)).toBe(digest(plaintext));
    const d = new Decrypter();
    d.addIdentity(X25519_SECRET);
    expect(digest(await d.decrypt(await encrypt(plaintext, [xR])))).toBe(digest(plaintext));
  });
});
