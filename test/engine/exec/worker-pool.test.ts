/**
 * The executors' encryption (engine/exec/executor.ts, worker-pool.ts): files encrypted on a
 * worker thread or on this one open with each recipient's key, armored when asked; a bad
 * recipient is an exit-2 error from either. Errors cross the worker boundary whole
 * (error-codec.ts): both executors give the same class, kind, secret and field. Worker threads
 * run the built dist/engine/exec/worker.js.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type * as AgeModule from "../../../src/age/index.js";
import type * as PoolModule from "../../../src/engine/exec/index.js";
import type * as WorkerPoolModule from "../../../src/engine/exec/worker-pool.js";
import type * as CodecModule from "../../../src/engine/exec/error-codec.js";
import type * as ErrorsModule from "../../../src/errors.js";
import { ADMIN_RECIPIENT, DB01, ROOT, WEB01, privateKey } from "../../helpers/repo.js";

const dist = (p: string) => join(ROOT, "dist", p);

describe("encryption on the executors", () => {
  let age: typeof AgeModule;
  let codec: typeof CodecModule;
  let errors: typeof ErrorsModule;
  let executors: { name: string; exec: PoolModule.Executor }[] = [];
  const keys: Record<string, AgeModule.Identity[]> = {};
  let dir: string;

  beforeAll(async () => {
    age = (await import(dist("age/index.js"))) as typeof AgeModule;
    codec = (await import(dist("engine/exec/error-codec.js"))) as typeof CodecModule;
    errors = (await import(dist("errors.js"))) as typeof ErrorsModule;
    const { LocalExecutor } = (await import(dist("engine/exec/index.js"))) as typeof PoolModule;
    const { WorkerPool } = (await import(
      dist("engine/exec/worker-pool.js")
    )) as typeof WorkerPoolModule;
    dir = mkdtempSync(join(tmpdir(), "sg-pool-"));
    for (const file of ["admin.key", "web01_ssh_host_ed25519_key", "db01_ssh_host_rsa_key"]) {
      const loaded = await age.loadIdentityFile(privateKey(file, dir), {
        passphrase: () => Promise.reject(new Error("none")),
      });
      keys[file] = loaded.identities;
    }
    const admin = keys["admin.key"] ?? [];
    executors = [
      { name: "this thread", exec: new LocalExecutor(admin) },
      { name: "2 workers", exec: new WorkerPool(2, admin) },
    ];
  });
  afterAll(async () => {
    for (const { exec } of executors) await exec.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("files open with every recipient's key, binary and armored, on both", async () => {
    expect(executors).toHaveLength(2);
    for (const { name, exec } of executors) {
      for (const armor of [false, true]) {
        const plaintexts = [0, 1, 70_000].map((n) => Buffer.alloc(n, `${name} ${String(n)}`));
        const files = await Promise.all(
          plaintexts.map((p) => exec.encrypt(p, [ADMIN_RECIPIENT, WEB01, DB01], armor)),
        );
        for (const [i, file] of files.entries()) {
          expect(Buffer.from(file).toString("latin1").startsWith("-----BEGIN AGE"), name).toBe(
            armor,
          );
          for (const ids of Object.values(keys))
            expect(
              Buffer.from(await age.decrypt(file, ids)).equals(plaintexts[i] ?? Buffer.alloc(1)),
            ).toBe(true);
        }
      }
    }
  });

  it("a malformed recipient is an exit-2 error on both", async () => {
    for (const { exec } of executors) {
      await expect(exec.encrypt(Buffer.from("v"), ["age1bad"], false)).rejects.toMatchObject({
        exitCode: 2,
      });
    }
  });

  it("a file no identity opens is an AgeError of kind no-identity on both; garbage is malformed", async () => {
    for (const { name, exec } of executors) {
      const file = await exec.encrypt(Buffer.from("v"), [WEB01], false);
      const err = await exec.decrypt(file).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err, name).toBeInstanceOf(age.AgeError);
      expect(err, name).toMatchObject({ kind: "no-identity", exitCode: 3, reason: "age" });
      const bad = await exec.decrypt(Buffer.from("not an age file")).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(bad, name).toBeInstanceOf(age.AgeError);
      expect(bad, name).toMatchObject({ kind: "malformed", exitCode: 3 });
    }
  });

  it("a render's usage error comes back with its secret, field and location on both", async () => {
    const seen: unknown[] = [];
    for (const engine of ["handlebars", "go"] as const) {
      const source = engine === "go" ? '{{ bcrypt "x" 3 }}' : '{{bcrypt "x" 3}}';
      for (const { name, exec } of executors) {
        const r = await exec.render({
          secret: "app/env",
          spec: { kind: "template", engine, source, data: {} },
          recorded: new Uint8Array(0),
          fresh: true,
          memo: {},
          values: {},
        });
        expect(r.kind, name).toBe("error");
        if (r.kind !== "error") continue;
        const err = codec.asSecretgenError(r.error);
        expect(err, name).toBeInstanceOf(errors.SecretgenError);
        expect(err, name).toMatchObject({
          exitCode: 2,
          reason: "usage",
          secret: "app/env",
          field: "template",
        });
        expect(err.message, name).toMatch(/^line 1, column \d+: /);
        seen.push([engine, err.toString()]);
      }
    }
    expect(seen[0]).toEqual(seen[1]);
    expect(seen[2]).toEqual(seen[3]);
  });
});
