/**
 * Interop with the real `age` CLI both ways, for X25519 keys from age-keygen and ssh-ed25519 /
 * ssh-rsa keys from ssh-keygen (made in a temp dir), binary and armored, for empty, small and
 * multi-chunk plaintexts. Plaintexts go through files and stdin, never argv.
 */
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import {
  decrypt,
  encrypt,
  identityRecipient,
  loadIdentityFile,
  parseRecipient,
  type Identity,
  type Recipient,
} from "../../src/age/index.js";
import { describeWithTools } from "../helpers/tools.js";
import { digest, noPassphrase, tempDir } from "./fixtures.js";

const KEY_PASS = "interop-pass";

interface Key {
  name: string;
  /** Private key file, for `age -i`. */
  file: string;
  /** `-r VALUE` or `-R FILE` for age. */
  ageArgs: string[];
  recipient: Recipient;
  identities: Identity[];
}

function run(cmd: string, args: string[], input?: Uint8Array): Buffer {
  return execFileSync(cmd, args, { input, stdio: ["pipe", "pipe", "pipe"], maxBuffer: 64 << 20 });
}

const plaintexts = [
  { name: "empty", bytes: new Uint8Array(0) },
  { name: "small", bytes: Buffer.from("interop plaintext ✓\n") },
  { name: "multi-chunk", bytes: randomBytes(200_000) },
];

describeWithTools(
  ["age", "age-keygen", "ssh-keygen"],
  "interop with age, age-keygen and ssh-keygen",
  () => {
    const tmp = tempDir("sg-age-interop-");
    const keys: Key[] = [];
    let n = 0;
    const path = (name: string) => join(tmp.dir, `${String(n++)}-${name}`);

    beforeAll(async () => {
      const x = join(tmp.dir, "x25519.key");
      run("age-keygen", ["-o", x]);
      const xPub = run("age-keygen", ["-y", x]).toString().trim();
      for (const [type, bits] of [
        ["ed25519", []],
        ["rsa", ["-b", "3072"]],
      ] as const) {
        const file = join(tmp.dir, `id_${type}`);
        run("ssh-keygen", ["-q", "-t", type, ...bits, "-N", "", "-C", "interop", "-f", file]);
      }
      const load = async (file: string) =>
        (await loadIdentityFile(file, { passphrase: noPassphrase })).identities;
      keys.push(
        {
          name: "X25519",
          file: x,
          ageArgs: ["-r", xPub],
          recipient: parseRecipient(xPub),
          identities: await load(x),
        },
        {
          name: "ssh-ed25519",
          file: join(tmp.dir, "id_ed25519"),
          ageArgs: ["-R", join(tmp.dir, "id_ed25519.pub")],
          recipient: parseRecipient(readFileSync(join(tmp.dir, "id_ed25519.pub"), "utf8").trim()),
          identities: await load(join(tmp.dir, "id_ed25519")),
        },
        {
          name: "ssh-rsa",
          file: join(tmp.dir, "id_rsa"),
          ageArgs: ["-R", join(tmp.dir, "id_rsa.pub")],
          recipient: parseRecipient(readFileSync(join(tmp.dir, "id_rsa.pub"), "utf8").trim()),
          identities: await load(join(tmp.dir, "id_rsa")),
        },
      );
    }, 60_000);
    afterAll(() => {
      tmp.cleanup();
    });

    const matrix = ["X25519", "ssh-ed25519", "ssh-rsa"].flatMap((key) =>
      [false, true].flatMap((armor) => plaintexts.map((p) => ({ key, armor, plaintext: p.name }))),
    );
    const keyNamed = (name: string): Key => {
      const k = keys.find((x) => x.name === name);
      if (k === undefined) throw new Error(`no key ${name}`);
      return k;
    };
    const bytesNamed = (name: string): Uint8Array =>
      plaintexts.find((p) => p.name === name)?.bytes ?? new Uint8Array();

    it("the public keys agree with age-keygen -y and ssh-keygen -y", () => {
      for (const k of keys) {
        const [id] = k.identities;
        expect(id === undefined ? undefined : identityRecipient(id)).toEqual(k.recipient);
      }
    });

    it.for(matrix)(
      "ours encrypts, age -d decrypts: $key, armor $armor, $plaintext",
      async ({ key, armor, plaintext }) => {
        const k = keyNamed(key);
        const file = path("ours.age");
        writeFileSync(file, await encrypt(bytesNamed(plaintext), [k.recipient], { armor }));
        if (armor)
          expect(readFileSync(file, "latin1")).toMatch(/^-----BEGIN AGE ENCRYPTED FILE-----\n/);
        expect(digest(run("age", ["-d", "-i", k.file, file]))).toBe(digest(bytesNamed(plaintext)));
      },
    );

    it.for(matrix)(
      "age encrypts (stdin), ours decrypts: $key, armor $armor, $plaintext",
      async ({ key, armor, plaintext }) => {
        const k = keyNamed(key);
        const out = path("theirs.age");
        run("age", [...(armor ? ["-a"] : []), ...k.ageArgs, "-o", out], bytesNamed(plaintext));
        expect(digest(await decrypt(readFileSync(out), k.identities))).toBe(
          digest(bytesNamed(plaintext)),
        );
      },
    );

    it("a file for all three key types, both ways", async () => {
      const plaintext = bytesNamed("multi-chunk");
      const ours = path("all.age");
      writeFileSync(
        ours,
        await encrypt(
          plaintext,
          keys.map((k) => k.recipient),
        ),
      );
      const theirs = path("all-theirs.age");
      run("age", [...keys.flatMap((k) => k.ageArgs), "-o", theirs], plaintext);
      for (const k of keys) {
        expect(digest(run("age", ["-d", "-i", k.file, ours]))).toBe(digest(plaintext));
        expect(digest(await decrypt(readFileSync(theirs), k.identities))).toBe(digest(plaintext));
      }
    });

    it.for(["ed25519", "rsa"])("passphrase-protected %s key from ssh-keygen -N", async (type) => {
      const file = path(`id_${type}_pass`);
      run("ssh-keygen", [
        "-q",
        "-t",
        type,
        ...(type === "rsa" ? ["-b", "2048"] : []),
        "-N",
        KEY_PASS,
        "-C",
        "pass",
        "-f",
        file,
      ]);
      const encrypted = path("pass.age");
      run("age", ["-R", `${file}.pub`, "-o", encrypted], bytesNamed("small"));
      const asked: string[] = [];
      const { identities } = await loadIdentityFile(file, {
        passphrase: (p) => {
          asked.push(p);
          return Promise.resolve(KEY_PASS);
        },
      });
      expect(asked).toEqual([file]);
      expect(digest(await decrypt(readFileSync(encrypted), identities))).toBe(
        digest(bytesNamed("small")),
      );
      const [id] = identities;
      expect(id === undefined ? "" : identityRecipient(id).text).toBe(
        run("ssh-keygen", ["-y", "-P", KEY_PASS, "-f", file])
          .toString()
          .trim()
          .split(" ")
          .slice(0, 2)
          .join(" "),
      );
      await expect(
        loadIdentityFile(file, { passphrase: () => Promise.resolve("wrong") }),
      ).rejects.toMatchObject({
        kind: "passphrase",
      });
    });

    it("an ECDSA key from ssh-keygen is refused as unsupported, without asking a passphrase", async () => {
      const file = path("id_ecdsa");
      run("ssh-keygen", ["-q", "-t", "ecdsa", "-N", KEY_PASS, "-f", file]);
      await expect(loadIdentityFile(file, { passphrase: noPassphrase })).rejects.toMatchObject({
        kind: "unsupported",
        message: `${file}: SSH key type "ecdsa-sha2-nistp256" is not supported (ssh-ed25519 or ssh-rsa)`,
      });
    });

    it("generateX25519Identity output is accepted by age-keygen -y", async () => {
      const { generateX25519Identity, parseIdentities } = await import("../../src/age/index.js");
      const secret = await generateX25519Identity();
      const file = path("generated.key");
      writeFileSync(file, `${secret}\n`, { mode: 0o600 });
      const [id] = await parseIdentities(secret, { source: file, passphrase: noPassphrase });
      expect(run("age-keygen", ["-y", file]).toString().trim()).toBe(
        id === undefined ? "" : identityRecipient(id).text,
      );
    });
  },
);
