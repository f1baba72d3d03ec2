/**
 * ASG's declarations in secrets/secrets.json, end to end: `generation.KIND`, Go templates, the
 * charset set. A Go template that does not parse is refused with its line and column before
 * anything is written; a secret spelled both ways is refused naming it.
 */
import { afterEach, expect, it } from "vitest";
import { TestRepo, changedFiles, decls } from "../helpers/repo.js";
import { describeWithTools } from "../helpers/tools.js";

const SECRETS = {
  "user-password-1": { hosts: ["web01"], generation: { random: { length: 72 } } },
  "user-password": {
    hosts: ["web01"],
    generation: { random: { length: 32, charset: { special: false } } },
  },
  htpasswd: {
    hosts: ["web01"],
    generation: {
      template: {
        data: { myPasswords: ["user-password-1", "user-password"] },
        content:
          "{{- range .myPasswords -}}\n{{ . }}:{{ hashBcrypt (readSecret .) 4 }}\n{{ end -}}\n",
      },
    },
  },
};

describeWithTools(["age"], "ASG's declarations in JSON", () => {
  let repo: TestRepo | undefined;
  afterEach(() => {
    repo?.cleanup();
    repo = undefined;
  });

  it("generates them, and a second run changes nothing", () => {
    repo = new TestRepo(decls(SECRETS));
    const r = repo.run(["generate"]);
    expect(r.stderr).toBe("");
    expect(r.stdout).toMatch(/^created 3$/m);
    expect(repo.reveal("user-password").toString()).toMatch(/^[A-Za-z0-9]{32}$/);
    const lines = repo.reveal("htpasswd").toString().split("\n");
    expect(lines.map((l) => l.split(":")[0])).toStrictEqual([
      "user-password-1",
      "user-password",
      "",
    ]);
    const before = repo.snapshot();
    expect(repo.run(["generate"]).stdout).toMatch(/^unchanged 3$/m);
    expect(changedFiles(before, repo.snapshot())).toStrictEqual([]);
  });

  it("a Go template that does not parse: exit 2, line and column, nothing written", () => {
    const broken = structuredClone(SECRETS);
    broken.htpasswd.generation.template.content = "ok\n{{- range .myPasswords -}}\n{{ . }";
    repo = new TestRepo(decls(broken));
    const before = repo.snapshot();
    const r = repo.run(["generate"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /secrets\."htpasswd"\.generation\.template: line 3, column 6: unexpected "}" in operand/,
    );
    expect(changedFiles(before, repo.snapshot())).toStrictEqual([]);
  });

  it("a secret declared both ways: exit 2 naming it, nothing written", () => {
    repo = new TestRepo(
      decls({ ...SECRETS, both: { random: {}, generation: { random: { length: 8 } } } }),
    );
    const before = repo.snapshot();
    const r = repo.run(["generate"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /secrets\."both": declares its generator both as generation and natively \(random\)/,
    );
    expect(changedFiles(before, repo.snapshot())).toStrictEqual([]);
  });
});
