/**
 * Every bad declaration is reported with its secret and field path, exit 2, and nothing written.
 */
import { afterAll, describe, expect, it } from "vitest";
import { TestRepo, decls, changedFiles } from "../helpers/repo.js";

const ok = { hosts: ["web01"], random: {} };
const cases: { name: string; doc: unknown; files?: Record<string, string>; message: RegExp }[] = [
  { name: "malformed JSON", doc: '{"admins": [', message: /secrets\.json is not valid JSON/ },
  { name: "not an object", doc: "[1,2]", message: /declarations: must be an object, not a list/ },
  {
    name: "unknown generator",
    doc: decls({ a: { hosts: ["web01"], randm: {} } }),
    message: /secrets\."a"\.randm: unknown field/,
  },
  {
    name: "no generator",
    doc: decls({ a: { hosts: ["web01"] } }),
    message: /secrets\."a": has no generator/,
  },
  {
    name: "two generators",
    doc: decls({ a: { hosts: ["web01"], random: {}, manual: {} } }),
    message: /secrets\."a": has 2 generators \(random, manual\)/,
  },
  {
    name: "dot-dot name",
    doc: decls({ "../x": ok }),
    message: /secrets\."\.\.\/x": invalid secret name/,
  },
  {
    name: "absolute name",
    doc: decls({ "/etc/x": ok }),
    message: /secrets\."\/etc\/x": invalid secret name: is an absolute path/,
  },
  {
    name: "empty segment",
    doc: decls({ "a//b": ok }),
    message: /secrets\."a\/\/b": invalid secret name: has an empty path segment/,
  },
  {
    name: "leading dot",
    doc: decls({ ".hidden": ok }),
    message: /secrets\."\.hidden": invalid secret name/,
  },
  {
    name: "case-fold collision",
    doc: decls({ Token: ok, token: ok }),
    message: /secrets\."token": collides with secret "Token"/,
  },
  {
    name: "public directory collision",
    doc: decls({ app: ok, "app.d/key": ok }),
    message: /secrets\."app\.d\/key": collides with secret "app" on disk/,
  },
  {
    name: "missing template",
    doc: decls({ t: { hosts: ["web01"], template: { file: "nope.hbs" } } }),
    message: /secrets\."t"\.template\.file: templates\/nope\.hbs does not exist/,
  },
  {
    name: "template escaping templates/",
    doc: decls({ t: { hosts: ["web01"], template: { file: "../secrets/secrets.json" } } }),
    message: /secrets\."t"\.template\.file: .*\.\./,
  },
  {
    name: "unknown helper",
    doc: decls({ t: { hosts: ["web01"], template: { content: "{{nope 1}}" } } }),
    message: /secrets\."t"\.template: .*nope/,
  },
  {
    name: "log helper removed",
    doc: decls({ t: { hosts: ["web01"], template: { content: '{{log "x"}}' } } }),
    message: /secrets\."t"\.template: .*log/,
  },
  {
    name: "template syntax error",
    doc: decls({ t: { hosts: ["web01"], template: { content: "line one\n{{#each x}}\n" } } }),
    message: /secrets\."t"\.template: .*line/,
  },
  {
    name: "unknown dependency",
    doc: decls({ t: { hosts: ["web01"], template: { content: '{{secret "ghost"}}' } } }),
    message: /secrets\."t": reads unknown secret "ghost"/,
  },
  {
    name: "dependency cycle",
    doc: decls({
      a: { hosts: ["web01"], template: { content: '{{secret "b"}}' } },
      b: { hosts: ["web01"], template: { content: '{{secret "a"}}' } },
    }),
    message: /dependency cycle: a -> b -> a/,
  },
  {
    name: "unknown JSON function",
    doc: decls({
      j: { hosts: ["web01"], json: { content: { x: { __secretgen: "nope", args: [] } } } },
    }),
    message: /secrets\."j"\.json\.content\.x\.__secretgen: unknown function "nope"/,
  },
  {
    name: "bad recipient",
    doc: decls({ a: { hosts: ["ssh-ed25519 AAAAnotbase64!"], random: {} } }),
    message: /secrets\."a"\.hosts\[0\]: .*malformed recipient/,
  },
  {
    name: "unknown host",
    doc: decls({ a: { hosts: ["web02"], random: {} } }),
    message: /secrets\."a"\.hosts\[0\]: unknown host "web02"/,
  },
  {
    name: "bad admin",
    doc: decls({ a: ok }, { admins: ["age1nope"] }),
    message: /admins\[0\]: .*malformed recipient/,
  },
  {
    name: "bad bcrypt cost",
    doc: decls({
      p: ok,
      t: { hosts: ["web01"], template: { content: '{{bcrypt (secret "p") 3}}' } },
    }),
    message: /secrets\."t"\.template: line 1, column 1: bcrypt: .*COST.*from 4 to 31/,
  },
  {
    name: "bad length",
    doc: decls({ a: { random: { length: 0 } } }),
    message: /secrets\."a"\.random\.length: must be a whole number from 1 to 4096/,
  },
  {
    name: "bad charset",
    doc: decls({ a: { random: { charset: "emoji" } } }),
    message: /secrets\."a"\.random\.charset: must be one of/,
  },
  {
    name: "duplicate alphabet",
    doc: decls({ a: { random: { alphabet: "aab" } } }),
    message: /secrets\."a"\.random\.alphabet: has repeated characters/,
  },
  {
    name: "bad mode",
    doc: decls({ a: { random: {}, mode: "rw" } }),
    message: /secrets\."a"\.mode: must be three or four octal digits like "0440", not "rw"/,
  },
  {
    name: "unknown script dependency",
    doc: decls({ s: { script: { script: "echo x", dependencies: ["ghost"] } } }),
    message: /secrets\."s"\.script\.dependencies\[0\]: unknown secret "ghost"/,
  },
];

describe("bad declarations", () => {
  const repos: TestRepo[] = [];
  afterAll(() => {
    for (const r of repos) r.cleanup();
  });

  it.for(cases)("$name: exit 2, named, nothing written", ({ doc, message }) => {
    const repo = new TestRepo(doc);
    repos.push(repo);
    const before = repo.snapshot();
    const r = repo.run(["generate"]);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).toMatch(/^secretgen: error: /m);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(changedFiles(before, repo.snapshot())).toEqual([]);
  });

  it("reports every problem, not just the first", () => {
    const repo = new TestRepo(
      decls({ a: { random: { length: -1 } }, b: { hosts: ["nowhere"], random: {} } }),
    );
    repos.push(repo);
    const r = repo.run(["check"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/secrets\."a"\.random\.length/);
    expect(r.stderr).toMatch(/secrets\."b"\.hosts\[0\]: unknown host "nowhere"/);
  });

  it("a cycle found late still writes nothing, even for the valid secrets", () => {
    const repo = new TestRepo(
      decls({
        fine: ok,
        a: { hosts: ["web01"], template: { content: '{{secret "b"}}' } },
        b: { hosts: ["web01"], template: { content: '{{secret "a"}}' } },
      }),
    );
    repos.push(repo);
    const r = repo.run(["generate"]);
    expect(r.code).toBe(2);
    expect(repo.snapshot().size).toBe(1); // only secrets.json
  });
});
