/**
 * The fast path against age-encryption on 1000 small X25519 files, in one run:
 * `npx vitest bench --run test/age/fastpath.bench.ts`. Not part of `vitest run`.
 */
import { randomBytes } from "node:crypto";
import { Decrypter } from "age-encryption";
import { bench, describe } from "vitest";
import {
  decrypt,
  encrypt,
  fastDecrypt,
  generateX25519Identity,
  identityRecipient,
  parseIdentities,
} from "../../src/age/index.js";

const N = 1000;
const secret = await generateX25519Identity();
const identities = await parseIdentities(secret, {
  source: "bench",
  passphrase: () => Promise.reject(new Error("none")),
});
const [identity] = identities;
if (identity === undefined) throw new Error("no identity");
const recipient = identityRecipient(identity);
const files: Uint8Array[] = [];
for (let i = 0; i < N; i++) files.push(await encrypt(randomBytes(48), [recipient]));

const options = { iterations: 10, warmupIterations: 2, time: 0 };

describe(`decrypt ${N} small X25519 files`, () => {
  bench(
    "fastDecrypt (node:crypto)",
    () => {
      for (const f of files) if (fastDecrypt(f, identities) === null) throw new Error("declined");
    },
    options,
  );
  bench(
    "decrypt (fast path first)",
    async () => {
      for (const f of files) await decrypt(f, identities);
    },
    options,
  );
  bench(
    "age-encryption Decrypter",
    async () => {
      const d = new Decrypter();
      d.addIdentity(secret);
      for (const f of files) await d.decrypt(f);
    },
    options,
  );
});
