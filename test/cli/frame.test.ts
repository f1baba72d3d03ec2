/**
 * The CLI frame: help, version, usage errors, option placement, the default command, `init`.
 */
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { describeWithTools } from "../helpers/tools.js";
import { ROOT, TestRepo, decls } from "../helpers/repo.js";

let repo: TestRepo;
beforeEach(() => {
  repo = new TestRepo(decls({ a: { hosts: ["web01"], random: { length: 8 } } }));
});
afterEach(() => {
  repo.cleanup();
});

describe("CLI frame", () => {
  it("--version prints the package version and exits 0", () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version: string };
    for (const flag of ["--version", "-V"]) {
      const r = repo.run([flag], { identity: false });
      expect(r.code).toBe(0);
      expect(r.stdout).toBe(`${pkg.version}\n`);
    }
  });

  it("--help and help COMMAND print usage on stdout and exit 0", () => {
    const help = repo.run(["--help"], { identity: false });
    expect(help.code).toBe(0);
    for (const cmd of [
      "generate",
      "check",
      "status",
      "set",
      "rotate",
      "reveal",
      "adopt",
      "prune",
      "init",
      "export",
    ]) {
      expect(help.stdout).toContain(cmd);
    }
    const sub = repo.run(["help", "check"], { identity: false });
    expect(sub.code).toBe(0);
    expect(sub.stdout).toMatch(/Usage: secretgen check/);
    expect(sub.stdout).toMatch(/--offline/);
  });

  it.for([
    { args: ["bogus"], message: /secretgen: error: unknown command 'bogus'/ },
    { args: ["--bogus"], message: /secretgen: error: unknown option '--bogus'/ },
    { args: ["check", "--bogus"], message: /unknown option '--bogus'/ },
    { args: ["--jobs", "zero"], message: /--jobs.*whole number/ },
    { args: ["reveal"], message: /missing required argument 'name'/ },
    { args: ["export"], message: /--format/ },
    { args: ["export", "--format", "sops"], message: /Allowed choices are agenix/ },
  ])("usage error $args: stderr, exit 2", ({ args, message }) => {
    const r = repo.run(args, { identity: false });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stdout).toBe("");
  });

  it("with no command at all, generate runs; options go before or after the command", () => {
    const r = repo.run(["--quiet"]);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe("created 1");
    const before = repo.run(["--root", repo.root, "check", "--json"]);
    const after = repo.run(["check", "--json", "--root", repo.root]);
    expect(before.code).toBe(0);
    expect(before.stdout).toBe(after.stdout);
    const doc = JSON.parse(before.stdout) as {
      schema: string;
      version: number;
      secrets: { name: string; state: string }[];
    };
    expect(doc.schema).toBe("secretgen-report");
    expect(doc.version).toBe(1);
    expect(doc.secrets).toEqual([expect.objectContaining({ name: "a", state: "unchanged" })]);
  });

  it("a missing declarations file is a usage error with a hint", () => {
    const r = repo.run(["check", "--config", repo.path("nope.json")]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/nope\.json does not exist/);
    expect(r.stderr).toMatch(/hint:/);
  });

  it("NO_COLOR output has no escape codes", () => {
    const r = repo.run(["bogus"], { identity: false });
    expect(r.stderr).not.toContain("\u001b[");
  });
});

describeWithTools(["age"], "init", () => {
  it("writes a 0600 identity in a 0700 directory, prints the recipient, never overwrites it", () => {
    const out = join(repo.keysDir, "cfg", "secretgen", "admin.key");
    const r = repo.run(["init"], {
      identity: false,
      env: { XDG_CONFIG_HOME: join(repo.keysDir, "cfg") },
    });
    expect(r.code).toBe(0);
    expect(existsSync(out)).toBe(true);
    expect(statSync(out).mode & 0o777).toBe(0o600);
    expect(statSync(join(repo.keysDir, "cfg", "secretgen")).mode & 0o777).toBe(0o700);
    const recipient = r.stdout.trim();
    expect(recipient).toMatch(/^age1[0-9a-z]{58}$/);
    expect(r.stderr).toMatch(/hint: .*admins/);
    const secret = readFileSync(out, "utf8");
    expect(secret).toMatch(/^AGE-SECRET-KEY-1[0-9A-Z]{58}$/m);
    expect(r.stdout + r.stderr).not.toContain(
      /AGE-SECRET-KEY-1[0-9A-Z]+/.exec(secret)?.[0] ?? "none",
    );
    const ciphertext = execFileSync("age", ["-r", recipient], { input: "round trip" });
    expect(execFileSync("age", ["-d", "-i", out], { input: ciphertext }).toString()).toBe(
      "round trip",
    );
    // The repository already has a tree: init leaves it as it is.
    expect(r.stderr).toMatch(/secrets already exists; it was not touched/);
    const declarations = readFileSync(repo.path("secrets/secrets.json"), "utf8");
    const again = repo.run(["init"], {
      identity: false,
      env: { XDG_CONFIG_HOME: join(repo.keysDir, "cfg") },
    });
    expect(again.code).toBe(0);
    expect(again.stderr).toMatch(/already exists; it was not overwritten, its recipient is used/);
    expect(again.stdout.trim()).toBe(recipient);
    expect(readFileSync(out, "utf8")).toBe(secret);
    expect(readFileSync(repo.path("secrets/secrets.json"), "utf8")).toBe(declarations);
    const explicit = join(repo.keysDir, "other.key");
    expect(repo.run(["init", "--out", explicit], { identity: false }).code).toBe(0);
    expect(statSync(explicit).mode & 0o777).toBe(0o600);
  });
});

describeWithTools(["script", "age"], "progress on a terminal", () => {
  it("shows a progress line for runs over a second on a TTY, never with --quiet, and never off a TTY", () => {
    repo.declare(
      decls({
        a: { hosts: ["web01"], random: {} },
        slow: {
          hosts: ["web01"],
          script: { script: "sleep 1.5; echo v", runtimeInputs: ["/usr"] },
        },
        reader: { hosts: ["web01"], template: { content: '{{secret "slow"}}' } },
      }),
    );
    const cli = `${process.execPath} ${join(ROOT, "dist/bundle/main.js")}`;
    const onTty = (args: string) =>
      execFileSync("script", ["-qec", `${cli} ${args} -i ${repo.adminKey}`, "/dev/null"], {
        cwd: repo.root,
        env: { ...process.env, SECRETGEN_IDENTITY: "" },
      }).toString();
    const shown = onTty("generate");
    expect(shown).toMatch(/secretgen: generating \d\/3 secrets/);
    expect(shown).toMatch(/created 3/);
    expect(onTty("rotate slow --quiet")).not.toMatch(/secretgen: rotating/);
    const piped = repo.run(["rotate", "slow"]);
    expect(piped.stderr).not.toMatch(/rotating/);
  });
});
