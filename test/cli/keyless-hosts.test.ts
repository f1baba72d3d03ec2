/**
 * Hosts whose key is not known yet (null or [] in `hosts`, as `sg.recipientFile` gives for a
 * file not there yet): their secrets are made and encrypted to the admins and the other
 * recipients, with one warning naming the host and its secrets; `check` and `check --offline`
 * warn and pass; when the key appears, `generate` only rekeys (values unchanged), and the real
 * `age` decrypts with the new key.
 */
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { afterEach, beforeEach, expect, it } from "vitest";
import { describeWithTools } from "../helpers/tools.js";
import { TestRepo, changedFiles, decls, privateKey } from "../helpers/repo.js";

let repo: TestRepo;
const secrets = {
  "app/shared": { hosts: ["web01", "web02"], random: { length: 16 } },
  "app/web02-only": { hosts: ["web02"], template: { content: 'x={{secret "app/shared"}}' } },
  "db/other": { hosts: ["db03"], random: { length: 8 } },
};
beforeEach(() => {
  repo = new TestRepo();
});
afterEach(() => {
  repo.cleanup();
});

function declare(web02: unknown): void {
  const d = decls(secrets);
  repo.declare({ ...d, hosts: { ...d.hosts, web02, db03: [] } });
}

describeWithTools(["age", "age-keygen"], "hosts without keys", () => {
  it("are warned about once each, never fail a run, and are rekeyed in when the key appears", () => {
    declare(null);
    const first = repo.run(["generate"]);
    expect(first.code).toBe(0);
    expect(first.stdout).toContain("created 3");
    const warnings = first.stderr.split("\n").filter((l) => l.includes("warning:"));
    expect(warnings).toEqual([
      'secretgen: warning: hosts.db03: has no keys yet; its secret "db/other" is encrypted without it (to the admins and other recipients) until its key is declared, then `secretgen generate` rekeys it (values unchanged)',
      'secretgen: warning: hosts.web02: has no keys yet; its secrets "app/shared", "app/web02-only" are encrypted without it (to the admins and other recipients) until its key is declared, then `secretgen generate` rekeys them (values unchanged)',
    ]);
    // web01's real key reads the shared secret: it was encrypted to the other recipients.
    const web01 = privateKey("web01_ssh_host_ed25519_key", repo.keysDir);
    const shared = repo.reveal("app/shared");
    expect(
      execFileSync("age", ["-d", "-i", web01, repo.path("secrets/data/app/shared.age")]),
    ).toEqual(shared);

    for (const args of [["check"], ["check", "--offline"]]) {
      const r = repo.run(args);
      expect(r.code, args.join(" ")).toBe(0);
      expect(r.stderr).toContain("warning: hosts.web02: has no keys yet");
      // --json lists the warnings printed before the run too.
      const doc = JSON.parse(repo.run([...args, "--json"]).stdout) as { warnings: string[] };
      expect(doc.warnings, args.join(" ")).toEqual(
        warnings.map((w) => w.replace("secretgen: warning: ", "")),
      );
    }
    declare([]); // the same, as Nix writes it
    expect(repo.run(["generate"]).stdout.trim()).toBe("unchanged 3");

    // The key appears: only rekeys, values unchanged, readable with the new key.
    const key = join(repo.keysDir, "web02.key");
    execFileSync("age-keygen", ["-o", key], { stdio: "ignore" });
    const recipient = execFileSync("age-keygen", ["-y", key]).toString().trim();
    const values = [repo.reveal("app/shared"), repo.reveal("app/web02-only")];
    declare([recipient]);
    const before = repo.snapshot();
    const rekey = repo.run(["generate"]);
    expect(rekey.code).toBe(0);
    expect(rekey.stdout).toMatch(/rekeyed 2, unchanged 1/);
    expect(rekey.stderr).not.toContain("hosts.web02");
    expect(changedFiles(before, repo.snapshot())).toEqual([
      "secrets/data/app/shared.age",
      "secrets/data/app/web02-only.age",
      "secrets/manifest.json",
    ]);
    expect([repo.reveal("app/shared"), repo.reveal("app/web02-only")]).toEqual(values);
    expect(
      execFileSync("age", ["-d", "-i", key, repo.path("secrets/data/app/web02-only.age")]),
    ).toEqual(values[1]);
    expect(repo.run(["check", "--offline"]).code).toBe(0);
  });
});
