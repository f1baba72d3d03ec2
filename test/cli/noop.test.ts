/**
 * What a no-op run touches: entropy files only (data files are checked by ciphertext hash), and
 * bcrypt results come from the memo in the record, not from bcrypt again.
 */
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { readdirSync, statSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { afterEach, beforeEach, expect, it } from "vitest";
import { describeWithTools } from "../helpers/tools.js";
import { ADMIN_RECIPIENT, TestRepo, decls } from "../helpers/repo.js";

let repo: TestRepo;
beforeEach(() => {
  repo = new TestRepo(
    decls({
      pw: { hosts: ["web01"], random: { length: 20 } },
      hash: { hosts: ["web01"], template: { content: '{{bcrypt (secret "pw") 4}}' } },
      conf: {
        hosts: ["db01"],
        json: {
          content: {
            h: { __secretgen: "bcrypt", args: [{ __secretgen: "secret", args: ["pw"] }, 4] },
          },
        },
      },
    }),
  );
  expect(repo.run(["generate"]).code).toBe(0);
});
afterEach(() => {
  repo.cleanup();
});

describeWithTools(["age"], "a no-op run", () => {
  it("never decrypts a data file whose ciphertext hash is the recorded one", () => {
    // Replace every data file by bytes no identity can decrypt, and record their hashes in the
    // manifest: a run that decrypted any data file would fail.
    const dataDir = repo.path("secrets/data");
    let manifest = repo.read("secrets/manifest.json").toString();
    for (const file of readdirSync(dataDir, { recursive: true }) as string[]) {
      const path = join(dataDir, file);
      if (!statSync(path).isFile()) continue;
      const old = createHash("sha256")
        .update(repo.read(relative(repo.root, path)))
        .digest("hex");
      const junk = Buffer.from(`not an age file: ${file}`);
      writeFileSync(path, junk);
      manifest = manifest.replaceAll(old, createHash("sha256").update(junk).digest("hex"));
    }
    repo.write("secrets/manifest.json", manifest);
    const r = repo.run(["check"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe("unchanged 3");
  });

  it("takes bcrypt results from the record's memo instead of hashing again", () => {
    const path = repo.path("secrets/entropy/hash.age");
    const record = JSON.parse(
      execFileSync("age", ["-d", "-i", repo.adminKey, path]).toString(),
    ) as {
      memo: Record<string, string>;
    };
    const keys = Object.keys(record.memo);
    expect(keys).toHaveLength(1);
    const key = keys[0] ?? "";
    const hash = record.memo[key] ?? "";
    // Same salt, a different (wrong) hash: if the memo is used, the replay renders it: drift.
    record.memo[key] = hash.slice(0, 29) + "A".repeat(hash.length - 29);
    writeFileSync(
      path,
      execFileSync("age", ["-r", ADMIN_RECIPIENT], { input: JSON.stringify(record) }),
    );
    const r = repo.run(["check"]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/drift\s+hash/);
    expect(r.stdout).toMatch(/unchanged 2/);
  });
});
