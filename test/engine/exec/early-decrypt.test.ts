/**
 * Entropy files decrypted early on a worker (engine/exec/early-decrypt.ts): the worker's
 * plaintexts are handed out only for the very bytes this thread read; a file this thread claims
 * first, a file the worker could not read or decrypt, a file changed since, and a worker that
 * is gone all leave the file to this thread (take gives undefined). Once through its files, it
 * encrypts what it is handed (split-encrypt.ts); a worker that is gone encrypts nothing
 * (undefined). Worker threads run the built dist/engine/exec/worker.js.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type * as AgeModule from "../../../src/age/index.js";
import type * as EarlyModule from "../../../src/engine/exec/early-decrypt.js";
import { ADMIN_RECIPIENT, ROOT, WEB01, privateKey } from "../../helpers/repo.js";

const dist = (p: string) => join(ROOT, "dist", p);

describe("EarlyDecrypt", () => {
  let age: typeof AgeModule;
  let Early: typeof EarlyModule.EarlyDecrypt;
  let admin: AgeModule.Identity[];
  let dir: string;
  /** Eight files for the admin, their paths and bytes. */
  const files: { path: string; bytes: Uint8Array; plaintext: Buffer }[] = [];

  beforeAll(async () => {
    age = (await import(dist("age/index.js"))) as typeof AgeModule;
    Early = ((await import(dist("engine/exec/early-decrypt.js"))) as typeof EarlyModule)
      .EarlyDecrypt;
    dir = mkdtempSync(join(tmpdir(), "sg-early-"));
    admin = (
      await age.loadIdentityFile(privateKey("admin.key", dir), {
        passphrase: () => Promise.reject(new Error("none")),
      })
    ).identities;
    for (let i = 0; i < 8; i++) {
      const plaintext = Buffer.from(`record ${String(i)}`);
      const bytes = await age.encrypt(plaintext, [age.parseRecipient(ADMIN_RECIPIENT)]);
      const path = join(dir, `f${String(i)}.age`);
      writeFileSync(path, bytes);
      files.push({ path, bytes, plaintext });
    }
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it("hands out the worker's plaintext of every file it decrypted", async () => {
    const early = new Early(
      files.map((f) => f.path),
      admin,
    );
    try {
      await early.done(); // the worker went through all files before this thread asked
      for (const f of files) {
        const p = await early.take(f.path, f.bytes);
        expect(p && Buffer.from(p).equals(f.plaintext)).toBe(true);
      }
    } finally {
      await early.close();
    }
  });

  it("leaves to this thread a file it claims first, or one that is not on the list", async () => {
    const early = new Early(
      files.map((f) => f.path),
      admin,
    );
    try {
      // Claimed before the worker has started: this thread decrypts them.
      const first = files[0];
      expect(first && early.take(first.path, first.bytes)).toBeUndefined();
      expect(early.take(join(dir, "other.age"), new Uint8Array(1))).toBeUndefined();
      await early.done();
      // Claimed once: asking again gives nothing either.
      expect(first && early.take(first.path, first.bytes)).toBeUndefined();
    } finally {
      await early.close();
    }
  });

  it("leaves to this thread files it could not open, a corrupt file, a changed file, a missing file", async () => {
    const web01Only = await age.encrypt(Buffer.from("x"), [age.parseRecipient(WEB01)]);
    const corrupt = Buffer.from(files[1]?.bytes ?? []);
    // The payload's tag no longer matches.
    corrupt.writeUInt8(corrupt.readUInt8(corrupt.length - 3) ^ 1, corrupt.length - 3);
    const cases = {
      notForAdmin: web01Only,
      corrupt,
      garbage: Buffer.from("not an age file"),
    };
    const paths: string[] = [];
    for (const [name, bytes] of Object.entries(cases)) {
      const path = join(dir, `${name}.age`);
      writeFileSync(path, bytes);
      paths.push(path);
    }
    const missing = join(dir, "missing.age");
    const changed = files[2];
    if (changed === undefined) throw new Error("no file");
    const early = new Early([...paths, missing, changed.path], admin);
    try {
      await early.done();
      for (const [i, bytes] of Object.values(cases).entries())
        expect(await early.take(paths[i] ?? "", bytes)).toBeUndefined();
      expect(await early.take(missing, new Uint8Array(3))).toBeUndefined();
      // This thread read other bytes than the worker did.
      expect(await early.take(changed.path, files[3]?.bytes ?? new Uint8Array(0))).toBeUndefined();
    } finally {
      await early.close();
    }
  });

  it("a worker that is gone leaves every file to this thread", async () => {
    const early = new Early(
      files.map((f) => f.path),
      admin,
    );
    await early.close();
    for (const f of files) expect(await early.take(f.path, f.bytes)).toBeUndefined();
  });

  it("encrypts what it is handed once through its files, and reports an encryption's error", async () => {
    const early = new Early(
      files.map((f) => f.path),
      admin,
    );
    try {
      const texts = ["", "one", "x".repeat(70_000)];
      const sealed = await Promise.all(
        texts.map((t, i) => early.encrypt(Buffer.from(t), [ADMIN_RECIPIENT], i === 1)),
      );
      expect(early.encryptions).toBe(0);
      for (const [i, bytes] of sealed.entries()) {
        if (bytes === undefined) throw new Error("the worker encrypted nothing");
        if (i === 1)
          expect(Buffer.from(bytes).toString()).toMatch(/^-----BEGIN AGE ENCRYPTED FILE-----/);
        expect(Buffer.from(await age.decrypt(bytes, admin)).toString()).toBe(texts[i]);
      }
      // Its files were decrypted first, and are handed out as before.
      const f = files[4];
      if (f === undefined) throw new Error("no file");
      expect(Buffer.from((await early.take(f.path, f.bytes)) ?? []).equals(f.plaintext)).toBe(true);
      const lowOrder = age.bech32Encode("age", new Uint8Array(32));
      await expect(early.encrypt(Buffer.from("v"), [lowOrder], false)).rejects.toMatchObject({
        exitCode: 3,
        message: "cannot encrypt to an X25519 recipient: its public key is a low-order point",
      });
    } finally {
      await early.close();
    }
    expect(await early.encrypt(Buffer.from("late"), [ADMIN_RECIPIENT], false)).toBeUndefined();
  });
});
