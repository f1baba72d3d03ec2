/**
 * The fast writer (src/age/writer.ts) against the real `age -d` and against age-encryption:
 * every recipient kind, binary and armored, payloads of 0, 1, 64 KiB − 1, 64 KiB, 64 KiB + 1
 * bytes and several chunks; a seeded differential test over random recipient sets and sizes,
 * both ways (age-encryption decrypts what the fast writer writes, our reader decrypts what
 * age-encryption writes, and both write files of the same shape and length).
 */
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { chmodSync, copyFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Decrypter, armor } from "age-encryption";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  decrypt,
  fastDecrypt,
  fastEncrypt,
  identityRecipient,
  loadIdentityFile,
  parseRecipient,
  type Identity,
  type Recipient,
} from "../../src/age/index.js";
import { armorEncodeSync } from "../../src/age/armor.js";
import { bech32Encode } from "../../src/age/bech32.js";
import { slowEncrypt } from "../../src/age/encrypt.js";
import { parseHeader } from "../../src/age/header.js";
import { keyIdentity } from "../../src/age/identity.js";
import { describeWithTools } from "../helpers/tools.js";
import {
  FIXTURES,
  digest,
  fixtureIdentities,
  noPassphrase,
  privateCopy,
  tempDir,
} from "./fixtures.js";

const K = 64 * 1024;
const SIZES = [0, 1, K - 1, K, K + 1, 3 * K + 17];

/** Seeded bytes: SHA-256 in counter mode over (label, i). */
function seeded(label: string, n: number): Buffer {
  const out = Buffer.alloc(n);
  for (let i = 0; i * 32 < n; i++) {
    createHash("sha256")
      .update(`${label}\0${String(i)}`)
      .digest()
      .copy(out, i * 32);
  }
  return out;
}

/** A seeded PRNG of integers below `n`. */
function prng(seed: string): (n: number) => number {
  let counter = 0;
  return (n) => seeded(`${seed}\0${String(counter++)}`, 4).readUInt32BE(0) % n;
}

interface Key {
  name: string;
  recipient: Recipient;
  identities: Identity[];
}

const FIXTURE_KEYS: [string, string][] = [
  ["x25519", "x25519.key"],
  ["ssh-ed25519", "ssh_ed25519"],
  ["ssh-rsa 3072", "ssh_rsa"],
];

async function fixtureKeys(): Promise<Key[]> {
  const keys: Key[] = [];
  for (const [name, file] of FIXTURE_KEYS) {
    const identities = await fixtureIdentities(file);
    const [id] = identities;
    if (id === undefined) throw new Error(`no identity in ${file}`);
    keys.push({ name, recipient: identityRecipient(id), identities });
  }
  return keys;
}

function mustEncrypt(plaintext: Uint8Array, recipients: Recipient[], armorIt = false): Buffer {
  const out = fastEncrypt(plaintext, recipients, { armor: armorIt });
  if (out === null) throw new Error("the fast writer declined");
  return out;
}

/** age-encryption's Decrypter: X25519 natively, SSH keys through our identity objects. */
function typageDecrypter(keys: Key[]): Decrypter {
  const d = new Decrypter();
  for (const k of keys) for (const id of k.identities) d.addIdentity(keyIdentity(id).forTypage());
  return d;
}

/** The stanza arguments of a file with every base64 value replaced by its length. */
function shape(file: Uint8Array): string[][] {
  const parsed = parseHeader(file);
  if (!("header" in parsed)) throw new Error(`header rejected: ${parsed.reason}`);
  return parsed.header.stanzas.map((s) => [
    ...s.args.map((a, i) => (i === 0 ? a : String(a.length))),
    String(s.body.length),
  ]);
}

describe("the fast writer's format", () => {
  let keys: Key[] = [];
  beforeAll(async () => {
    keys = await fixtureKeys();
  });

  it("writes headers the strict parser accepts, one stanza per recipient, in order", () => {
    const file = mustEncrypt(
      Buffer.from("x"),
      keys.map((k) => k.recipient),
    );
    expect(shape(file)).toEqual([
      ["X25519", "43", "32"],
      ["ssh-ed25519", "6", "43", "32"],
      ["ssh-rsa", "6", "384"],
    ]);
    // a 3072-bit RSA body is 512 base64 characters: whole lines, so an empty line follows
    expect(file.toString("latin1")).toMatch(/\n([A-Za-z0-9+/]{64}\n){8}\n--- /);
  });

  it.for(SIZES)("payload of %i bytes: 16-byte nonce, one 16-byte tag per 64 KiB chunk", (n) => {
    const [x] = keys;
    const file = mustEncrypt(seeded("size", n), x ? [x.recipient] : []);
    const parsed = parseHeader(file);
    if (!("header" in parsed)) throw new Error("header rejected");
    const chunks = Math.max(1, Math.ceil(n / K));
    expect(file.length - parsed.header.end).toBe(16 + n + 16 * chunks);
  });

  it("armors exactly as age-encryption's encoder, at every length modulo 48", () => {
    for (let n = 0; n < 200; n++) {
      const bytes = seeded("armor", n);
      expect(armorEncodeSync(bytes).toString("latin1")).toBe(armor.encode(bytes));
    }
  });

  it("never repeats a file key, nonce or ephemeral share: two files of the same input differ", () => {
    const recipients = keys.map((k) => k.recipient);
    const a = mustEncrypt(Buffer.from("same"), recipients);
    const b = mustEncrypt(Buffer.from("same"), recipients);
    const sa = parseHeader(a);
    const sb = parseHeader(b);
    if (!("header" in sa) || !("header" in sb)) throw new Error("header rejected");
    for (let i = 0; i < 3; i++)
      expect(sa.header.stanzas[i]?.body).not.toEqual(sb.header.stanzas[i]?.body);
    // the ephemeral shares of the X25519 and ssh-ed25519 stanzas
    for (let i = 0; i < 2; i++)
      expect(sa.header.stanzas[i]?.args.at(-1)).not.toBe(sb.header.stanzas[i]?.args.at(-1));
    expect(a.subarray(sa.header.end, sa.header.end + 16)).not.toEqual(
      b.subarray(sb.header.end, sb.header.end + 16),
    );
  });

  it("refuses an empty recipient list (exit 3) and a malformed recipient (exit 2)", () => {
    expect(() => fastEncrypt(Buffer.from("v"), [])).toThrow(
      expect.objectContaining({
        exitCode: 3,
        message: "cannot encrypt to an empty list of recipients",
      }),
    );
    expect(() => fastEncrypt(Buffer.from("v"), [{ type: "x25519", text: "age1notakey" }])).toThrow(
      expect.objectContaining({ exitCode: 2 }),
    );
  });

  it("refuses an X25519 recipient that is a low-order point, naming no key", () => {
    // u = 0 encodes the point at infinity of order 1: every shared secret would be zero.
    const zero = parseRecipient(bech32Encode("age", new Uint8Array(32)));
    expect(() => fastEncrypt(Buffer.from("v"), [zero])).toThrow(
      expect.objectContaining({
        exitCode: 3,
        message: "cannot encrypt to an X25519 recipient: its public key is a low-order point",
      }),
    );
  });
});

describe("differential with age-encryption, both ways (seeded)", () => {
  let pool: Key[] = [];
  beforeAll(async () => {
    pool = await fixtureKeys();
    const more: [string, string][] = [
      ["admin", "admin.key"],
      ["web01", "web01_ssh_host_ed25519_key"],
      ["db01", "db01_ssh_host_rsa_key"],
    ];
    const tmp = tempDir("sg-writer-keys-");
    try {
      for (const [name, file] of more) {
        const copy = join(tmp.dir, file);
        copyFileSync(join(FIXTURES, "../keys", file), copy);
        chmodSync(copy, 0o600);
        const { identities } = await loadIdentityFile(copy, { passphrase: noPassphrase });
        const [id] = identities;
        if (id !== undefined) pool.push({ name, recipient: identityRecipient(id), identities });
      }
    } finally {
      tmp.cleanup();
    }
  });

  const CASES = 24;
  it(`${String(CASES)} random recipient sets and sizes`, async () => {
    expect(pool).toHaveLength(6);
    const next = prng("writer-differential");
    for (let c = 0; c < CASES; c++) {
      // 1 to 6 distinct recipients in a random order
      const chosen = pool.filter(() => next(2) === 1);
      const set = chosen.length === 0 ? [pool[next(pool.length)] as Key] : chosen;
      for (let i = set.length - 1; i > 0; i--) {
        const j = next(i + 1);
        [set[i], set[j]] = [set[j] as Key, set[i] as Key];
      }
      const size = c < SIZES.length ? (SIZES[c] as number) : next(3 * K);
      const armored = next(2) === 1;
      const plaintext = seeded(`p${String(c)}`, size);
      const recipients = set.map((k) => k.recipient);
      const label = `case ${String(c)}: ${set.map((k) => k.name).join(",")} ${String(size)} B armor ${String(armored)}`;

      const ours = mustEncrypt(plaintext, recipients, armored);
      const theirs = Buffer.from(await slowEncrypt(plaintext, recipients, { armor: armored }));
      // the same shape: same length, same stanza types, argument and body sizes
      expect(ours.length, label).toBe(theirs.length);
      const binary = (f: Buffer) => (armored ? Buffer.from(armor.decode(f.toString("latin1"))) : f);
      expect(shape(binary(ours)), label).toEqual(shape(binary(theirs)));

      // each recipient alone opens both, through age-encryption and through our reader
      for (const k of set) {
        const d = typageDecrypter([k]);
        expect(digest(await d.decrypt(binary(ours))), label).toBe(digest(plaintext));
        expect(digest(await decrypt(theirs, k.identities)), label).toBe(digest(plaintext));
        expect(digest(await decrypt(ours, k.identities)), label).toBe(digest(plaintext));
        if (!armored && !k.name.includes("rsa") && k.name !== "db01")
          expect(digest(fastDecrypt(theirs, k.identities)), label).toBe(digest(plaintext));
      }
      // and a key not among the recipients opens neither
      const outsider = pool.find((k) => !set.includes(k));
      if (outsider !== undefined) {
        await expect(decrypt(ours, outsider.identities), label).rejects.toMatchObject({
          kind: "no-identity",
        });
      }
    }
  });
});

function run(cmd: string, args: string[], input?: Uint8Array): Buffer {
  return execFileSync(cmd, args, { input, stdio: ["pipe", "pipe", "pipe"], maxBuffer: 64 << 20 });
}

describeWithTools(
  ["age", "ssh-keygen"],
  "the real age -d opens what the fast writer writes",
  () => {
    const tmp = tempDir("sg-writer-");
    const keys: (Key & { file: string })[] = [];
    beforeAll(async () => {
      for (const [name, file] of FIXTURE_KEYS) {
        const copy = privateCopy(file, tmp.dir);
        const { identities } = await loadIdentityFile(copy, { passphrase: noPassphrase });
        const [id] = identities;
        if (id !== undefined)
          keys.push({ name, file: copy, recipient: identityRecipient(id), identities });
      }
      const rsa2048 = join(tmp.dir, "id_rsa2048");
      run("ssh-keygen", ["-q", "-t", "rsa", "-b", "2048", "-N", "", "-C", "w", "-f", rsa2048]);
      const { identities } = await loadIdentityFile(rsa2048, { passphrase: noPassphrase });
      const [id] = identities;
      if (id !== undefined)
        keys.push({
          name: "ssh-rsa 2048",
          file: rsa2048,
          recipient: identityRecipient(id),
          identities,
        });
    }, 30_000);
    afterAll(() => {
      tmp.cleanup();
    });

    const matrix = ["x25519", "ssh-ed25519", "ssh-rsa 3072", "ssh-rsa 2048"].flatMap((key) =>
      [false, true].map((armored) => ({ key, armored })),
    );
    it.for(matrix)("$key, armor $armored, every payload size", ({ key, armored }) => {
      const k = keys.find((x) => x.name === key);
      if (k === undefined) throw new Error(`no key ${key}`);
      for (const n of SIZES) {
        const plaintext = seeded(`age-d ${key}`, n);
        const file = join(tmp.dir, `f-${key.replace(" ", "")}-${String(armored)}-${String(n)}.age`);
        writeFileSync(file, mustEncrypt(plaintext, [k.recipient], armored));
        expect(digest(run("age", ["-d", "-i", k.file, file])), `${String(n)} bytes`).toBe(
          digest(plaintext),
        );
      }
    });

    it("one file for every kind: each key alone opens it with age -d", () => {
      for (const armored of [false, true]) {
        const plaintext = seeded("all kinds", 2 * K + 5);
        const file = join(tmp.dir, `all-${String(armored)}.age`);
        writeFileSync(
          file,
          mustEncrypt(
            plaintext,
            keys.map((k) => k.recipient),
            armored,
          ),
        );
        for (const k of keys)
          expect(digest(run("age", ["-d", "-i", k.file, file])), k.name).toBe(digest(plaintext));
      }
    });
  },
);
