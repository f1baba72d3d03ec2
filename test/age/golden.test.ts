/**
 * Known answers: files encrypted by the real `age` CLI (committed, with their throwaway keys)
 * decrypt to their committed plaintexts, through decrypt and, where it applies, fastDecrypt.
 */
import { describe, expect, it } from "vitest";
import { decrypt, fastDecrypt } from "../../src/age/index.js";
import { fixture, fixtureIdentities } from "./fixtures.js";

const cases = [
  { file: "x25519.age", key: "x25519.key", plaintext: "x25519.txt", fast: true },
  { file: "ssh-ed25519.age", key: "ssh_ed25519", plaintext: "ssh-ed25519.txt", fast: true },
  { file: "ssh-rsa.age", key: "ssh_rsa", plaintext: "ssh-rsa.txt", fast: false },
  { file: "ssh-rsa.age", key: "ssh_rsa_pkcs1.pem", plaintext: "ssh-rsa.txt", fast: false },
  { file: "ssh-rsa.age", key: "ssh_rsa_pkcs8.pem", plaintext: "ssh-rsa.txt", fast: false },
  { file: "armored.age", key: "x25519.key", plaintext: "armored.txt", fast: false },
  { file: "armored.age", key: "ssh_ed25519", plaintext: "armored.txt", fast: false },
  { file: "pass.age", key: "ssh_ed25519_pass", plaintext: "pass.txt", fast: true },
  { file: "pass.age", key: "ssh_rsa_pass", plaintext: "pass.txt", fast: false },
  { file: "all.age", key: "x25519.key", plaintext: "all.txt", fast: true },
  { file: "all.age", key: "ssh_ed25519", plaintext: "all.txt", fast: true },
  { file: "all.age", key: "ssh_rsa", plaintext: "all.txt", fast: false },
];

describe("golden files made by age 1.1.1", () => {
  it.for(cases)("$file with $key", async ({ file, key, plaintext, fast }) => {
    const identities = await fixtureIdentities(key);
    const expected = fixture(plaintext);
    expect(Buffer.from(await decrypt(fixture(file), identities))).toEqual(expected);
    const quick = fastDecrypt(fixture(file), identities);
    if (fast) expect(quick === null ? null : Buffer.from(quick)).toEqual(expected);
    else expect(quick).toBeNull();
  });
});
