/**
 * Decryption failures: each its own AgeError kind (exit 3), on the fast path and the slow path,
 * with messages that never contain key material or plaintext.
 */
import { generateKeyPairSync } from "node:crypto";
import { armor } from "age-encryption";
import { describe, expect, it } from "vitest";
import {
  AgeError,
  decrypt,
  encrypt,
  fastDecrypt,
  generateX25519Identity,
  identityRecipient,
  parseIdentities,
  serializeIdentity,
  type AgeErrorKind,
  type Identity,
} from "../../src/age/index.js";
import {
  digest,
  fixture,
  fixtureIdentities,
  keyMaterial,
  noPassphrase,
  PASSPHRASE,
} from "./fixtures.js";

const PLAINTEXT = Buffer.from("the plaintext must never show up in an error message\n");
const identities = {
  x25519: await fixtureIdentities("x25519.key"),
  ed25519: await fixtureIdentities("ssh_ed25519"),
  rsa: await fixtureIdentities("ssh_rsa"),
};
const other = await parseIdentities(await generateX25519Identity(), {
  source: "other.key",
  passphrase: noPassphrase,
});
const otherRsa = await parseIdentities(
  generateKeyPairSync("rsa", { modulusLength: 2048 })
    .privateKey.export({ format: "pem", type: "pkcs8" })
    .toString(),
  { source: "other-rsa.pem", passphrase: noPassphrase },
);
const recipients = Object.values(identities).flat().map(identityRecipient);

/** Every string that must never appear in a message. */
const secrets = [
  ...["x25519.key", "ssh_ed25519", "ssh_rsa", "ssh_ed25519_pass"].flatMap(keyMaterial),
  ...[...Object.values(identities).flat(), ...other, ...otherRsa].map(
    (id) => (JSON.parse(serializeIdentity(id)) as { key: string }).key,
  ),
  PLAINTEXT.toString().trim(),
  PASSPHRASE,
];

async function failure(ciphertext: Uint8Array, ids: Identity[]): Promise<AgeError> {
  const err: unknown = await decrypt(ciphertext, ids).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AgeError);
  const e = err as AgeError;
  expect(e.exitCode).toBe(3);
  for (const s of secrets) {
    expect(e.message).not.toContain(s);
    expect(e.hint ?? "").not.toContain(s);
  }
  return e;
}

/** The header's end: the offset after the MAC line. */
function headerEnd(file: Uint8Array): number {
  const buf = Buffer.from(file);
  return buf.indexOf("\n", buf.indexOf("\n---") + 1) + 1;
}

function withMac(file: Uint8Array, f: (mac: Buffer) => void): Uint8Array {
  const buf = Buffer.from(file);
  const start = buf.indexOf("\n--- ") + 5;
  const end = buf.indexOf("\n", start);
  const mac = Buffer.from(buf.subarray(start, end).toString(), "base64");
  f(mac);
  return Buffer.concat([
    buf.subarray(0, start),
    Buffer.from(mac.toString("base64").replace(/=+$/, "")),
    buf.subarray(end),
  ]);
}

function flip(file: Uint8Array, offset: number): Uint8Array {
  const copy = Buffer.from(file);
  copy[offset] = (copy[offset] ?? 0) ^ 1;
  return copy;
}

/** Flip a bit in the first body byte of the first stanza, keeping the base64 canonical. */
function tamperStanzaBody(file: Uint8Array): Uint8Array {
  const buf = Buffer.from(file);
  const start = buf.indexOf("\n", buf.indexOf("\n-> ") + 1) + 1;
  const end = buf.indexOf("\n", start);
  const body = Buffer.from(buf.subarray(start, end).toString(), "base64");
  body[0] = (body[0] ?? 0) ^ 1;
  const line = Buffer.from(body.toString("base64").replace(/=+$/, ""));
  return Buffer.concat([buf.subarray(0, start), line, buf.subarray(end)]);
}

function armored(file: Uint8Array): Uint8Array {
  return Buffer.from(armor.encode(file));
}

const big = Buffer.alloc(150_000, 7);
const files = {
  x25519: await encrypt(PLAINTEXT, [identityRecipient(identities.x25519[0] as Identity)]),
  ed25519: await encrypt(PLAINTEXT, [identityRecipient(identities.ed25519[0] as Identity)]),
  rsa: await encrypt(PLAINTEXT, [identityRecipient(identities.rsa[0] as Identity)]),
  all: await encrypt(PLAINTEXT, recipients),
  big: await encrypt(big, [identityRecipient(identities.x25519[0] as Identity)]),
};

interface Case {
  name: string;
  file: () => Uint8Array;
  ids: () => Identity[];
  kind: AgeErrorKind;
  message: RegExp;
  /** Whether fastDecrypt decides the case (else it declines with null). */
  fast: boolean;
}

const cases: Case[] = [
  {
    name: "wrong X25519 key",
    file: () => files.x25519,
    ids: () => other,
    kind: "no-identity",
    message: /^no identity matched \(file has stanzas: X25519\)$/,
    fast: true,
  },
  {
    name: "wrong key for ssh-ed25519",
    file: () => files.ed25519,
    ids: () => other,
    kind: "no-identity",
    message: /\(file has stanzas: ssh-ed25519\)/,
    fast: true,
  },
  {
    name: "wrong key for ssh-rsa",
    file: () => files.rsa,
    ids: () => [...other, ...identities.ed25519],
    kind: "no-identity",
    message: /\(file has stanzas: ssh-rsa\)/,
    fast: false,
  },
  {
    name: "wrong RSA key",
    file: () => files.rsa,
    ids: () => otherRsa,
    kind: "no-identity",
    message: /ssh-rsa/,
    fast: false,
  },
  {
    name: "wrong key, several stanza types",
    file: () => files.all,
    ids: () => other,
    kind: "no-identity",
    message: /^no identity matched \(file has stanzas: X25519, ssh-ed25519, ssh-rsa\)$/,
    fast: false,
  },
  {
    name: "wrong key, armored",
    file: () => armored(files.x25519),
    ids: () => other,
    kind: "no-identity",
    message: /X25519/,
    fast: false,
  },
  {
    name: "tampered header MAC (X25519)",
    file: () =>
      withMac(files.x25519, (m) => {
        m[0] = (m[0] ?? 0) ^ 1;
      }),
    ids: () => identities.x25519,
    kind: "header-mac",
    message: /^header MAC mismatch/,
    fast: true,
  },
  {
    name: "tampered header MAC (ssh-rsa)",
    file: () =>
      withMac(files.rsa, (m) => {
        m[31] = (m[31] ?? 0) ^ 1;
      }),
    ids: () => identities.rsa,
    kind: "header-mac",
    message: /^header MAC mismatch/,
    fast: false,
  },
  {
    name: "tampered header MAC (armored)",
    file: () =>
      armored(
        withMac(files.ed25519, (m) => {
          m[5] = (m[5] ?? 0) ^ 1;
        }),
      ),
    ids: () => identities.ed25519,
    kind: "header-mac",
    message: /^header MAC mismatch/,
    fast: false,
  },
  {
    name: "stanza added to the header",
    file: () =>
      Buffer.concat([
        Buffer.from("age-encryption.org/v1\n-> grease x\n\n"),
        Buffer.from(files.x25519).subarray(22),
      ]),
    ids: () => identities.x25519,
    kind: "header-mac",
    message: /^header MAC mismatch/,
    fast: true,
  },
  {
    name: "tampered ssh-ed25519 stanza body (tag matches)",
    file: () => tamperStanzaBody(files.ed25519),
    ids: () => identities.ed25519,
    kind: "malformed",
    message: /^the ssh-ed25519 stanza for .*ssh_ed25519 does not decrypt/,
    fast: true,
  },
  {
    name: "tampered ssh-rsa stanza body (tag matches)",
    file: () => tamperStanzaBody(files.rsa),
    ids: () => identities.rsa,
    kind: "malformed",
    message: /^the ssh-rsa stanza for .*ssh_rsa does not decrypt/,
    fast: false,
  },
  {
    name: "tampered payload (X25519)",
    file: () => flip(files.x25519, files.x25519.length - 20),
    ids: () => identities.x25519,
    kind: "payload-auth",
    message: /^payload authentication failed/,
    fast: true,
  },
  {
    name: "tampered payload nonce",
    file: () => flip(files.x25519, headerEnd(files.x25519) + 3),
    ids: () => identities.x25519,
    kind: "payload-auth",
    message: /^payload authentication failed/,
    fast: true,
  },
  {
    name: "tampered payload, second chunk",
    file: () => flip(files.big, files.big.length - 100),
    ids: () => identities.x25519,
    kind: "payload-auth",
    message: /^payload authentication failed/,
    fast: true,
  },
  {
    name: "tampered payload (ssh-rsa)",
    file: () => flip(files.rsa, files.rsa.length - 1),
    ids: () => identities.rsa,
    kind: "payload-auth",
    message: /^payload authentication failed/,
    fast: false,
  },
  {
    name: "truncated inside the header",
    file: () => files.x25519.subarray(0, 60),
    ids: () => identities.x25519,
    kind: "malformed",
    message: /^malformed age file: header/,
    fast: false,
  },
  {
    name: "truncated before the MAC line ends",
    file: () => files.x25519.subarray(0, headerEnd(files.x25519) - 2),
    ids: () => identities.x25519,
    kind: "malformed",
    message: /^malformed age file/,
    fast: false,
  },
  {
    name: "truncated inside the nonce",
    file: () => files.x25519.subarray(0, headerEnd(files.x25519) + 10),
    ids: () => identities.x25519,
    kind: "malformed",
    message: /^malformed age file: truncated/,
    fast: true,
  },
  {
    name: "truncated payload (shorter than a tag)",
    file: () => files.x25519.subarray(0, headerEnd(files.x25519) + 16 + 10),
    ids: () => identities.x25519,
    kind: "malformed",
    message: /^malformed age file: truncated payload/,
    fast: true,
  },
  {
    name: "truncated payload (ssh-rsa)",
    file: () => files.rsa.subarray(0, headerEnd(files.rsa) + 16 + 10),
    ids: () => identities.rsa,
    kind: "malformed",
    message: /^malformed age file/,
    fast: false,
  },
  {
    name: "truncated at a chunk boundary",
    file: () => files.big.subarray(0, headerEnd(files.big) + 16 + 65536 + 16),
    ids: () => identities.x25519,
    kind: "payload-auth",
    message: /^payload authentication failed/,
    fast: true,
  },
  {
    name: "empty file",
    file: () => new Uint8Array(0),
    ids: () => identities.x25519,
    kind: "malformed",
    message: /^malformed age file: the file is empty$/,
    fast: false,
  },
  {
    name: "not an age file",
    file: () => Buffer.from("just some text\n"),
    ids: () => identities.x25519,
    kind: "malformed",
    message: /^malformed age file: not an age file$/,
    fast: false,
  },
  {
    name: "CRLF-mangled file",
    file: () =>
      Buffer.from(Buffer.from(files.x25519).toString("latin1").replaceAll("\n", "\r\n"), "latin1"),
    ids: () => identities.x25519,
    kind: "malformed",
    message: /converted to CRLF/,
    fast: false,
  },
  {
    name: "future format version",
    file: () =>
      Buffer.concat([Buffer.from("age-encryption.org/v2"), Buffer.from(files.x25519).subarray(21)]),
    ids: () => identities.x25519,
    kind: "unsupported",
    message: /^unsupported age format version/,
    fast: false,
  },
  {
    name: "broken armor",
    file: () => Buffer.from(Buffer.from(armored(files.x25519)).toString().replace("\n", "\n!")),
    ids: () => identities.x25519,
    kind: "malformed",
    message: /^malformed age file: invalid ASCII armor$/,
    fast: false,
  },
];

describe("decryption errors", () => {
  it.for(cases)("$name: $kind", async ({ file, ids, kind, message, fast }) => {
    const err = await failure(file(), ids());
    expect(err.kind).toBe(kind);
    expect(err.message).toMatch(message);
    let quick: unknown;
    try {
      quick = fastDecrypt(file(), ids());
    } catch (e) {
      quick = e;
    }
    if (fast) {
      expect(quick).toBeInstanceOf(AgeError);
      expect((quick as AgeError).kind).toBe(kind);
      expect((quick as AgeError).message).toBe(err.message);
    } else {
      expect(quick).toBeNull();
    }
  });

  it("no-identity names the identities tried in its hint", async () => {
    const err = await failure(files.x25519, [...other, ...identities.rsa]);
    // The CLI adds "is the right identity given (-i)?" (test/cli/hints.test.ts).
    expect(err.hint).toBe("tried 2 identities (x25519, ssh-rsa)");
    expect(err.reason).toBe("age");
    expect((await failure(files.x25519, [])).hint).toMatch(/^no identity was given/);
  });

  it("the same files decrypt with the right keys (the table's files are sound)", async () => {
    for (const [name, ids] of Object.entries(identities)) {
      expect(digest(await decrypt(files.all, ids)), name).toBe(digest(PLAINTEXT));
    }
    expect(digest(await decrypt(files.big, identities.x25519))).toBe(digest(big));
  });

  it("a wrong passphrase for a key file is its own kind, without key material", async () => {
    const err: unknown = await parseIdentities(fixture("ssh_rsa_pass").toString(), {
      source: "ssh_rsa_pass",
      passphrase: () => Promise.resolve("not the passphrase"),
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AgeError);
    expect((err as AgeError).kind).toBe("passphrase");
    for (const s of [...secrets, ...keyMaterial("ssh_rsa_pass")])
      expect((err as AgeError).message).not.toContain(s);
  });
});
