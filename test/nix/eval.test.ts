/**
 * evalNix: the commands it runs, and its errors with their exit codes: a syntax error, a
 * throw, a missing attribute, a value that is not a declarations set (2 each), and no nix on
 * PATH (3).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { SecretgenError } from "../../src/errors.js";
import {
  assertDeclarationsShape,
  evalNix,
  nixCommand,
  nixErrorMessage,
  type EvalNixOptions,
} from "../../src/declarations/nix.js";
import { describeWithTools } from "../helpers/tools.js";
import { NIX_TOOLS } from "./support.js";

async function failure(opts: EvalNixOptions): Promise<SecretgenError> {
  try {
    await evalNix(opts);
  } catch (err) {
    if (err instanceof SecretgenError) return err;
    throw err;
  }
  throw new Error("evalNix succeeded");
}

describe("nixCommand", () => {
  it("a flake reference runs nix eval with the flakes features", () => {
    expect(nixCommand({ nix: ".#secretgen", cwd: "/repo" })).toStrictEqual({
      file: "nix",
      args: [
        "--extra-experimental-features",
        "nix-command flakes",
        "eval",
        "--json",
        ".#secretgen",
      ],
      label: '".#secretgen"',
    });
  });

  it("a file runs nix-instantiate on its absolute path, with -A for --nix-attr", () => {
    expect(nixCommand({ nix: "nix/decls.nix", attr: "hosts.web01", cwd: "/repo" })).toStrictEqual({
      file: "nix-instantiate",
      args: ["--eval", "--strict", "--json", "/repo/nix/decls.nix", "-A", "hosts.web01"],
      label: '"nix/decls.nix" (attribute "hosts.web01")',
    });
    expect(nixCommand({ nix: "-x.nix", cwd: "/repo" }).args.at(-1)).toBe("/repo/-x.nix");
  });

  it.for([
    [{ nix: ".#secretgen", attr: "x" }, /an attribute path goes with a \.nix file/],
    [{ nix: "--impure#x" }, /invalid flake reference/],
    [{ nix: "a.nix", attr: "--arg" }, /invalid attribute path "--arg"/],
    [{ nix: "" }, /a Nix source is a flake reference/],
  ] as const)("rejects %j (exit 2)", ([opts, message]) => {
    expect(() => nixCommand({ ...opts, cwd: "/repo" })).toThrow(message);
    try {
      nixCommand({ ...opts, cwd: "/repo" });
    } catch (err) {
      expect((err as SecretgenError).exitCode).toBe(2);
    }
  });
});

describe("nixErrorMessage", () => {
  it("keeps the innermost error and its location, without traces, warnings or advice", () => {
    const stderr = [
      "warning: Git tree '/repo' is dirty",
      "error:",
      "       … while evaluating the attribute 'secretgen'",
      "         at /repo/flake.nix:3:5:",
      "",
      "       error: attribute 'y' missing",
      "",
      "       at /repo/x.nix:1:12:",
      "(use '--show-trace' to show detailed location information)",
      "",
    ].join("\n");
    expect(nixErrorMessage(stderr)).toBe("attribute 'y' missing\n  at /repo/x.nix:1:12:");
  });

  it("strips colour codes and bounds the length", () => {
    const esc = String.fromCharCode(0x1b);
    const long =
      `${esc}[31;1merror:${esc}[0m boom\n` +
      Array.from({ length: 100 }, (_, i) => `  line ${i}`).join("\n");
    const message = nixErrorMessage(long);
    expect(message.startsWith("boom\n  line 0\n  line 1")).toBe(true);
    expect(message.split("\n").length).toBeLessThanOrEqual(32);
  });
});

describe("assertDeclarationsShape", () => {
  it.for([null, [], 3, "x", { admins: [] }])("rejects %j (exit 2)", (value) => {
    expect(() => {
      assertDeclarationsShape(value);
    }).toThrow(/not a declarations set/);
  });

  it("accepts an object with secrets", () => {
    expect(() => {
      assertDeclarationsShape({ secrets: {} });
    }).not.toThrow();
  });
});

describeWithTools(NIX_TOOLS, "evalNix with the real nix", () => {
  const dir = mkdtempSync(join(tmpdir(), "sg-nix-eval-"));
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });
  const files: Record<string, string> = {
    "ok.nix":
      "{ admins = [ ]; hosts = { }; secrets.a = { hosts = [ ]; manual = { }; }; nested.decls = { secrets = { }; }; }",
    "syntax.nix": "{ admins = [ ]; secrets = { a = }; }",
    "throw.nix": '{ admins = [ ]; secrets = throw "secretgen: no secrets for you"; }',
    "list.nix": "[ 1 2 3 ]",
    "attrs.nix": "{ admins = [ ]; hosts = { }; }",
  };
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);

  it("returns the parsed value of a file, and of an attribute with --nix-attr", async () => {
    expect(await evalNix({ nix: "ok.nix", cwd: dir })).toStrictEqual({
      admins: [],
      hosts: {},
      secrets: { a: { hosts: [], manual: {} } },
      nested: { decls: { secrets: {} } },
    });
    expect(
      await evalNix({ nix: join(dir, "ok.nix"), attr: "nested.decls", cwd: "/" }),
    ).toStrictEqual({ secrets: {} });
  });

  it.for([
    [
      "a syntax error",
      { nix: "syntax.nix" },
      /^Nix evaluation of "syntax\.nix" failed: syntax error, unexpected '}'.*\n {2}at .*syntax\.nix:1:/,
    ],
    [
      "a throw",
      { nix: "throw.nix" },
      /^Nix evaluation of "throw\.nix" failed: secretgen: no secrets for you$/,
    ],
    [
      "a missing attribute",
      { nix: "ok.nix", attr: "nope" },
      /^Nix evaluation of "ok\.nix" \(attribute "nope"\) failed: attribute 'nope' in selection path 'nope' not found$/,
    ],
    [
      "a missing file",
      { nix: "missing.nix" },
      /^Nix evaluation of "missing\.nix" failed: .*missing\.nix.*/,
    ],
    ["a list", { nix: "list.nix" }, /"list\.nix" evaluated to a list, not a declarations set/],
    [
      "a set without secrets",
      { nix: "attrs.nix" },
      /"attrs\.nix" evaluated to an attribute set without "secrets" \(attributes: admins, hosts\), not a declarations set/,
    ],
  ] as const)("%s is exit 2 with a clear message", async ([, opts, message]) => {
    const err = await failure({ ...opts, cwd: dir });
    expect(err.exitCode).toBe(2);
    expect(err.message).toMatch(message);
    expect(err.message.length).toBeLessThan(2000);
  });

  it("a flake evaluation error is exit 2 with Nix's message", async () => {
    const flakeDir = join(dir, "flake");
    mkdirSync(flakeDir);
    writeFileSync(
      join(flakeDir, "flake.nix"),
      '{ outputs = { self }: { secretgen = throw "broken flake"; }; }',
    );
    // Not a git repository: a path: reference sees every file.
    const err = await failure({ nix: `path:${flakeDir}#secretgen`, cwd: dir });
    expect(err.exitCode).toBe(2);
    expect(err.message).toMatch(/^Nix evaluation of "path:.*#secretgen" failed: broken flake$/);
  });

  it.for([".#secretgen", "ok.nix"])("%s without nix on PATH is exit 3 with a hint", async (nix) => {
    const emptyBin = join(dir, "empty-bin");
    mkdirSync(emptyBin, { recursive: true });
    const err = await failure({ nix, cwd: dir, env: { ...process.env, PATH: emptyBin } });
    expect(err.exitCode).toBe(3);
    expect(err.message).toMatch(/^nix(-instantiate)? not found on PATH: cannot evaluate/);
    expect(err.hint).toMatch(/install Nix/);
  });
});
