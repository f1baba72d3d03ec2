/**
 * secrets/secrets.nix against the declarations: rulesFileState (absent, current, stale,
 * foreign) and rulesProblem, the one `check` reports (only a file of ours that is out of date).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { bech32Encode } from "../../src/age/bech32.js";
import { validateDeclarations } from "../../src/declarations/index.js";
import { AGENIX_RULES_HEADER, renderAgenixRules } from "../../src/store/agenix-rules.js";
import { ruleNames, rulesFileState, rulesProblem } from "../../src/store/agenix-rules-file.js";
import { Layout } from "../../src/store/layout.js";

const ADMIN = bech32Encode("age", new Uint8Array(32).fill(1));
const HOST = bech32Encode("age", new Uint8Array(32).fill(2));

function declarations(secrets: Record<string, unknown>) {
  return validateDeclarations(
    { admins: [ADMIN], hosts: { web01: [HOST] }, secrets },
    { readTemplate: () => undefined },
  );
}

let root: string;
let layout: Layout;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), "sg-rules-"));
  mkdirSync(join(root, "secrets"));
  layout = new Layout(root);
});
afterEach(() => {
  rmSync(root, { recursive: true, force: true });
});

const rulesPath = () => join(root, "secrets", "secrets.nix");
const decls = declarations({ a: { hosts: ["web01"], random: {} } });

describe("rulesFileState and rulesProblem", () => {
  it("an absent file: absent, no problem", () => {
    expect(rulesFileState(decls, layout)).toEqual({ kind: "absent", path: rulesPath() });
    expect(rulesProblem(decls, layout)).toBeUndefined();
  });

  it("the file export writes now: current, no problem", () => {
    writeFileSync(rulesPath(), renderAgenixRules(decls.secrets.values()));
    expect(rulesFileState(decls, layout)).toEqual({ kind: "current", path: rulesPath() });
    expect(rulesProblem(decls, layout)).toBeUndefined();
  });

  it("a file of ours for other declarations: stale (with the text to write), a problem", () => {
    const before = declarations({ old: { hosts: ["web01"], random: {} } });
    writeFileSync(rulesPath(), renderAgenixRules(before.secrets.values()));
    expect(rulesFileState(decls, layout)).toEqual({
      kind: "stale",
      path: rulesPath(),
      text: renderAgenixRules(decls.secrets.values()),
    });
    expect(rulesProblem(decls, layout)).toBe("secrets/secrets.nix is out of date");
  });

  it("a hand-written file: foreign, naming its rules, and no problem for check", () => {
    writeFileSync(
      rulesPath(),
      '{\n  "data/x.age".publicKeys = [ ];\n  "data/y.age" = { publicKeys = [ ]; };\n}\n',
    );
    expect(rulesFileState(decls, layout)).toEqual({
      kind: "foreign",
      path: rulesPath(),
      rules: ["data/x.age", "data/y.age"],
    });
    expect(rulesProblem(decls, layout)).toBeUndefined();
  });

  it("a file with our header and anything after it is ours", () => {
    writeFileSync(rulesPath(), `${AGENIX_RULES_HEADER}\n{ }\n`);
    expect(rulesFileState(decls, layout).kind).toBe("stale");
  });
});

describe("ruleNames", () => {
  it("names each rule once, in order, with escaped quotes kept", () => {
    const text = [
      '"b.age".publicKeys = [ ];',
      '"b.age".armor = true;',
      '"a\\"q.age" . publicKeys = [ ];',
      '"c.age" = { publicKeys = [ ]; };',
    ].join("\n");
    expect(ruleNames(text)).toEqual(["b.age", 'a\\"q.age', "c.age"]);
  });
});
