import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, sep } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Layout, findRoot } from "../../src/store/index.js";
import { failure } from "../helpers/failures.js";

let tmp: string;
let root: string;
beforeEach(() => {
  tmp = realpathSync(mkdtempSync(join(tmpdir(), "sg-layout-")));
  root = join(tmp, "repo");
  mkdirSync(join(root, "secrets"), { recursive: true });
});
afterEach(() => {
  rmSync(tmp, { recursive: true, force: true });
});

function touch(...rels: string[]): void {
  for (const rel of rels) {
    mkdirSync(dirname(join(root, rel)), { recursive: true });
    writeFileSync(join(root, rel), "x");
  }
}

describe("findRoot", () => {
  it("walks up from a nested subdirectory to the first directory holding secrets/", () => {
    mkdirSync(join(root, "hosts/web01/conf"), { recursive: true });
    expect(findRoot(join(root, "hosts/web01/conf"))).toBe(root);
    expect(findRoot(root)).toBe(root);
    expect(findRoot(join(root, "secrets"))).toBe(root);
  });

  it("stops at the nearest one and ignores a file named secrets", () => {
    mkdirSync(join(root, "sub/inner/secrets"), { recursive: true });
    writeFileSync(join(root, "sub/secrets"), "a file");
    mkdirSync(join(root, "sub/x"));
    expect(findRoot(join(root, "sub/inner/deeper"))).toBe(join(root, "sub/inner"));
    expect(findRoot(join(root, "sub/x"))).toBe(root);
  });

  it("takes an explicit root, relative to the start directory, over the walk", () => {
    mkdirSync(join(tmp, "other"));
    expect(findRoot(root, join(tmp, "other"))).toBe(join(tmp, "other"));
    expect(findRoot(root, "../other")).toBe(join(tmp, "other"));
  });

  it("refuses an explicit root that does not exist or is not a directory", () => {
    const e = failure(() => findRoot(root, "../nope"));
    expect(e.exitCode).toBe(2);
    expect(e.message).toBe('the root directory "../nope" does not exist');
    expect(e.reason).toBe("no-root");
    writeFileSync(join(tmp, "file"), "");
    expect(failure(() => findRoot(root, join(tmp, "file"))).message).toMatch(/is not a directory$/);
  });

  it("fails with exit 2 and a hint when no secrets/ is found", () => {
    const e = failure(() => findRoot(tmp));
    expect(e.exitCode).toBe(2);
    expect(e.message).toBe(
      `no secrets/ directory in ${JSON.stringify(tmp)} or any directory above it`,
    );
    expect(e.reason).toBe("no-root");
    // The CLI adds `--root DIR` to it (cli/hints.ts).
    expect(e.hint).toBe("run in your repository; `secretgen init` starts a tree here");
  });
});

describe("Layout paths", () => {
  it("places every file of a secret", () => {
    const l = new Layout(root);
    const s = join(root, "secrets");
    expect(l.secretsDir).toBe(s);
    expect(l.dataFile("user-passwords/alice")).toBe(join(s, "data/user-passwords/alice.age"));
    expect(l.entropyFile("db")).toBe(join(s, "entropy/db.age"));
    expect(l.publicFile("wg/web01")).toBe(join(s, "public/wg/web01.pub"));
    expect(l.publicDir("ca")).toBe(join(s, "public/ca.d"));
    expect(l.manifestFile).toBe(join(s, "manifest.json"));
    expect(l.lockFile).toBe(join(s, ".secretgen.lock"));
    expect(l.templatesDir).toBe(join(root, "templates"));
    expect(new Layout(join(root, "x/..")).secretsDir).toBe(s);
  });

  it.for([
    "../x",
    "a/../../x",
    "/etc/passwd",
    "a//b",
    "./a",
    "a/.",
    "",
    "a/",
    "a\0b",
    "..",
    "a/..",
    "/",
    "a/../b",
  ])("refuses to build a path for the name %j", (name) => {
    const l = new Layout(root);
    const paths = [
      () => l.dataFile(name),
      () => l.entropyFile(name),
      () => l.publicFile(name),
      () => l.publicDir(name),
    ];
    for (const path of paths) {
      const e = failure(path);
      expect(e.exitCode).toBe(2);
      expect(e.secret).toBe(name);
      expect(e.message).toContain(JSON.stringify(name));
    }
  });

  it.skipIf(sep !== "/").for(["a\\b", "x:y", "...", "a/...", "a/.b", "caf\u00e9", "a b"])(
    "builds plain joined paths for the on-disk name %j (orphans may have any name)",
    (name) => {
      const l = new Layout(root);
      const s = join(root, "secrets");
      expect(l.dataFile(name)).toBe(`${s}/data/${name}.age`);
      expect(l.entropyFile(name)).toBe(`${s}/entropy/${name}.age`);
      expect(l.publicFile(name)).toBe(`${s}/public/${name}.pub`);
      expect(l.publicDir(name)).toBe(`${s}/public/${name}.d`);
    },
  );
});

describe("Layout.templateFile", () => {
  beforeEach(() => {
    touch("templates/htpasswd.hbs", "templates/sub/x.hbs");
  });

  it("resolves paths inside templates/, existing or not", () => {
    const l = new Layout(root);
    expect(l.templateFile("htpasswd.hbs")).toBe(join(root, "templates/htpasswd.hbs"));
    expect(l.templateFile("sub/x.hbs")).toBe(join(root, "templates/sub/x.hbs"));
    expect(l.templateFile("sub/../htpasswd.hbs")).toBe(join(root, "templates/htpasswd.hbs"));
    expect(l.templateFile("new/missing.hbs")).toBe(join(root, "templates/new/missing.hbs"));
  });

  it.for<[string, string]>([
    ["../x", "is outside templates/"],
    ["sub/../../secrets/secrets.json", "is outside templates/"],
    ["..", "is outside templates/"],
    [".", "is outside templates/"],
    ["/etc/passwd", "is an absolute path"],
    ["", "is not a valid path"],
  ])("rejects %j: %s", ([rel, problem]) => {
    const e = failure(() => new Layout(root).templateFile(rel));
    expect(e.exitCode).toBe(2);
    expect(e.message).toBe(`template file ${JSON.stringify(rel)} ${problem}`);
  });

  it("rejects symbolic links that lead outside templates/, and follows those that stay inside", () => {
    touch("outside/secret.txt");
    symlinkSync(join(root, "outside/secret.txt"), join(root, "templates/leak.hbs"));
    symlinkSync(join(root, "outside"), join(root, "templates/dir"));
    symlinkSync("/nonexistent/target", join(root, "templates/dangling.hbs"));
    symlinkSync("sub/x.hbs", join(root, "templates/alias.hbs"));
    const l = new Layout(root);
    for (const rel of ["leak.hbs", "dir/secret.txt", "dir/missing.hbs", "dangling.hbs"]) {
      const e = failure(() => l.templateFile(rel));
      expect(e.exitCode).toBe(2);
      expect(e.message).toBe(
        `template file ${JSON.stringify(rel)} leads outside templates/ through a symbolic link`,
      );
    }
    expect(l.templateFile("alias.hbs")).toBe(join(root, "templates/alias.hbs"));
  });

  it("allows templates/ itself to be a symbolic link", () => {
    rmSync(join(root, "templates"), { recursive: true });
    touch("shared/templates/a.hbs");
    symlinkSync(join(root, "shared/templates"), join(root, "templates"));
    expect(new Layout(root).templateFile("a.hbs")).toBe(join(root, "templates/a.hbs"));
  });
});

describe("Layout.listStored", () => {
  it("lists the names found on disk, nested ones included, sorted by code point", () => {
    touch(
      "secrets/data/web.age",
      "secrets/data/user-passwords/alice.age",
      "secrets/data/user-passwords/Bob.age",
      "secrets/data/conf.d/web.age",
      "secrets/data/notes.txt",
      "secrets/data/.web.age.secretgen-tmp-abc123",
      "secrets/data/.hidden/x.age",
      "secrets/entropy/web.age",
      "secrets/entropy/ca.age",
      "secrets/entropy/orphan/old.age",
      "secrets/public/wg/web01.pub",
      "secrets/public/ssh.pub",
      "secrets/public/ca.d/cert.pem",
      "secrets/public/ca.d/sub/key.pub",
      "secrets/public/conf.d/web.pub",
      "secrets/public/.x.pub.secretgen-tmp-1",
      "secrets/manifest.json",
    );
    mkdirSync(join(root, "secrets/public/empty.d"));
    expect(new Layout(root).listStored()).toEqual({
      data: ["conf.d/web", "user-passwords/Bob", "user-passwords/alice", "web"],
      entropy: ["ca", "orphan/old", "web"],
      public: ["ca", "conf.d/web", "empty", "ssh", "wg/web01"],
    });
  });

  it("is empty for a tree without files", () => {
    expect(new Layout(root).listStored()).toEqual({ data: [], entropy: [], public: [] });
    expect(new Layout(join(tmp, "none")).listStored()).toEqual({
      data: [],
      entropy: [],
      public: [],
    });
  });
});
