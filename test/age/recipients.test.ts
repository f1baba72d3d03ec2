/**
 * parseRecipient: valid recipients normalise; malformed and refused ones are exit-2 errors that
 * quote the value (never a private key).
 */
import { generateKeyPairSync } from "node:crypto";
import { ed25519 } from "@noble/curves/ed25519.js";
import { identityToRecipient } from "age-encryption";
import { describe, expect, it } from "vitest";
import { quote, SecretgenError } from "../../src/errors.js";
import {
  generateX25519Identity,
  identityRecipient,
  parseIdentities,
  parseRecipient,
} from "../../src/age/index.js";
import { bech32Encode } from "../../src/age/bech32.js";
import { ed25519Blob, ed25519ToMontgomery } from "../../src/age/ssh-ed25519.js";
import { rsaBlob } from "../../src/age/ssh-rsa.js";
import { bytesBigint } from "../../src/age/ssh-wire.js";
import { fixtureText, noPassphrase, publicKey } from "./fixtures.js";

const X25519 = fixtureText("x25519.pub").trim();
const ED25519 = publicKey("ssh_ed25519.pub");
const RSA = publicKey("ssh_rsa.pub");

/** The text with its last character changed (a Bech32 checksum error). */
function flipLast(text: string): string {
  return text.slice(0, -1) + (text.endsWith("q") ? "p" : "q");
}

function rsaRecipient(bits: number): string {
  const { publicKey: key } = generateKeyPairSync("rsa", { modulusLength: bits });
  const jwk = key.export({ format: "jwk" });
  const blob = rsaBlob(
    bytesBigint(Buffer.from(jwk.e ?? "", "base64url")),
    bytesBigint(Buffer.from(jwk.n ?? "", "base64url")),
  );
  return `ssh-rsa ${blob.toString("base64")}`;
}

describe("parseRecipient accepts and normalises", () => {
  it.for([
    { name: "X25519", text: X25519, type: "x25519", normal: X25519 },
    {
      name: "ssh-ed25519 with comment",
      text: fixtureText("ssh_ed25519.pub").trim(),
      type: "ssh-ed25519",
      normal: ED25519,
    },
    { name: "ssh-ed25519 without comment", text: ED25519, type: "ssh-ed25519", normal: ED25519 },
    {
      name: "ssh-ed25519, tab and spaced comment",
      text: `${ED25519}\talice at laptop`,
      type: "ssh-ed25519",
      normal: ED25519,
    },
    {
      name: "ssh-rsa 3072 with comment",
      text: fixtureText("ssh_rsa.pub").trim(),
      type: "ssh-rsa",
      normal: RSA,
    },
    {
      name: "ssh-rsa 2048",
      text: fixtureText("ssh_rsa_pass.pub").trim(),
      type: "ssh-rsa",
      normal: publicKey("ssh_rsa_pass.pub"),
    },
  ])("$name", ({ text, type, normal }) => {
    expect(parseRecipient(text)).toEqual({ type, text: normal });
  });
});

const edBase64 = ED25519.split(" ")[1] ?? "";
const edBlob = Buffer.from(edBase64, "base64");
const padded = Buffer.concat([edBlob, Buffer.from([0])]).toString("base64"); // ends "X=="
const B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const nonZeroPadding =
  padded.slice(0, -3) + B64.charAt(B64.indexOf(padded.charAt(padded.length - 3)) | 1) + "==";
const pq = bech32Encode("age1pq", new Uint8Array(1216).fill(7));

describe("parseRecipient refuses, quoting the value (exit 2)", () => {
  it.for([
    { name: "empty", text: "", message: /malformed recipient/ },
    { name: "garbage", text: "not a key", message: /malformed recipient/ },
    {
      name: "bad bech32 checksum",
      text: X25519.slice(0, -1) + (X25519.endsWith("q") ? "p" : "q"),
      message: /malformed recipient.*bech32/,
    },
    {
      name: "bech32 bad character",
      text: X25519.slice(0, 10) + "b" + X25519.slice(11),
      message: /malformed recipient.*bech32/,
    },
    {
      name: "mixed-case bech32",
      text: "age1" + X25519.slice(4, 10).toUpperCase() + X25519.slice(10),
      message: /malformed recipient.*bech32/,
    },
    {
      name: "X25519 key of 31 bytes",
      text: bech32Encode("age", new Uint8Array(31)),
      message: /malformed recipient.*31/,
    },
    {
      name: "upper-case age1",
      text: X25519.toUpperCase(),
      message: /malformed recipient .*: age recipients are lowercase \(age1…\)$/,
    },
    { name: "post-quantum age1pq1…", text: pq, message: /unsupported recipient.*post-quantum/ },
    {
      name: "plugin name with a path separator",
      text: bech32Encode("age1pwn/pwn", new Uint8Array(3)),
      message: /malformed recipient.*invalid plugin name/,
    },
    {
      name: "plugin recipient with a bad checksum",
      text: flipLast(bech32Encode("age1yubikey", new Uint8Array(33))),
      message: /malformed recipient.*invalid bech32/,
    },
    {
      name: "ecdsa key type",
      text: "ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBOcL",
      message: /unsupported recipient.*ecdsa/,
    },
    {
      name: "ssh-dss key type",
      text: "ssh-dss AAAAB3NzaC1kc3MAAACBAP",
      message: /unsupported recipient/,
    },
    { name: "type without key", text: "ssh-ed25519", message: /malformed recipient/ },
    { name: "bad base64", text: "ssh-ed25519 AAAA!!!!", message: /malformed recipient.*base64/ },
    {
      name: "base64 without its padding",
      text: `ssh-ed25519 ${padded.replace(/=+$/, "")}`,
      message: /malformed recipient.*base64/,
    },
    {
      name: "base64 with non-zero padding bits",
      text: `ssh-ed25519 ${nonZeroPadding}`,
      message: /malformed recipient.*base64/,
    },
    {
      name: "truncated ssh blob",
      text: `ssh-ed25519 ${edBlob.subarray(0, 40).toString("base64")}`,
      message: /malformed recipient.*truncated/,
    },
    {
      name: "trailing bytes in ssh blob",
      text: `ssh-ed25519 ${Buffer.concat([edBlob, Buffer.from([0])]).toString("base64")}`,
      message: /malformed recipient/,
    },
    {
      name: "wrong type in blob",
      text: `ssh-rsa ${edBase64}`,
      message: /malformed recipient.*ssh-rsa key blob/,
    },
    {
      name: "1024-bit RSA",
      text: rsaRecipient(1024),
      message: /unsupported recipient.*1024 bits, at least 2048/,
    },
    { name: "2040-bit RSA", text: rsaRecipient(2040), message: /2040 bits/ },
  ])("$name", ({ text, message }) => {
    let caught: unknown;
    try {
      parseRecipient(text);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(SecretgenError);
    const err = caught as SecretgenError;
    expect(err.exitCode).toBe(2);
    expect(err.message).toMatch(message);
    expect(err.message).toContain(quote(text));
  });

  it.for([
    {
      name: "an age secret key",
      text: "AGE-SECRET-KEY-1QQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQSLPJK",
    },
    { name: "a PEM private key", text: fixtureText("ssh_ed25519") },
  ])("$name given as a recipient is refused without quoting it", ({ text }) => {
    expect(() => parseRecipient(text)).toThrow(
      /private key was given where a recipient is expected/,
    );
    try {
      parseRecipient(text);
    } catch (err) {
      expect((err as SecretgenError).exitCode).toBe(2);
      expect((err as SecretgenError).message).not.toContain(text.slice(0, 30));
    }
  });
});

describe("cross-checks", () => {
  it("X25519 recipients agree with age-encryption's identityToRecipient", async () => {
    for (let i = 0; i < 20; i++) {
      const secret = await generateX25519Identity();
      const [id] = await parseIdentities(secret, { source: "test", passphrase: noPassphrase });
      if (id === undefined) throw new Error("no identity");
      expect(identityRecipient(id).text).toBe(await identityToRecipient(secret));
      expect(parseRecipient(identityRecipient(id).text).type).toBe("x25519");
    }
  });

  it("the Montgomery form of ed25519 keys agrees with @noble/curves", () => {
    for (let i = 0; i < 20; i++) {
      const pub = ed25519.getPublicKey(ed25519.utils.randomSecretKey());
      expect(ed25519ToMontgomery(pub)).toEqual(Buffer.from(ed25519.utils.toMontgomery(pub)));
      expect(parseRecipient(`ssh-ed25519 ${ed25519Blob(pub).toString("base64")}`).type).toBe(
        "ssh-ed25519",
      );
    }
  });
});
