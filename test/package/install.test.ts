/**
 * The package as npm ships it: `npm pack` in a copy of the sources (its `prepack` builds the
 * bundle), `npm install -g` of the tarball into a temporary prefix, offline (the bundle inlines
 * every library, so the package has no dependencies to fetch), then the installed `secretgen`
 * run from an empty git repository with no checkout on PATH: `--version`, `init`, and a
 * `generate` that the real `age` decrypts.
 */
import { execFileSync } from "node:child_process";
import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { builtinModules } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { ROOT } from "../helpers/repo.js";
import { describeWithTools } from "../helpers/tools.js";

const PKG = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as {
  version: string;
  files: string[];
  dependencies?: Record<string, string>;
};
const SOURCES = ["package.json", "tsconfig.json", "tsconfig.build.json", "rolldown.config.mjs"];

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "sg-pack-"));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** A minimal environment: the prefix's bin, node's own directory and the system's tools. */
function env(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    PATH: [join(dir, "prefix", "bin"), dirname(process.execPath), "/usr/bin", "/bin"].join(":"),
    HOME: join(dir, "home"),
    XDG_CONFIG_HOME: join(dir, "home", ".config"),
    NO_COLOR: "1",
    ...extra,
  };
}

function npm(args: string[], cwd: string): string {
  return execFileSync("npm", [...args, "--no-audit", "--no-fund", "--loglevel=error"], {
    cwd,
    env: env({ npm_config_cache: join(dir, "npm-cache") }),
    stdio: ["ignore", "pipe", "pipe"],
  }).toString();
}

describeWithTools(["npm", "age", "git"], "npm pack, then npm install -g of the tarball", () => {
  it("installs a working secretgen", { timeout: 180_000 }, () => {
    // A copy of what a release is packed from; the build's tools come from node_modules.
    const src = join(dir, "src");
    mkdirSync(src);
    for (const f of [...SOURCES, "README.md", "src", "nix", "docs"]) {
      cpSync(join(ROOT, f), join(src, f), { recursive: true });
    }
    symlinkSync(join(ROOT, "node_modules"), join(src, "node_modules"));
    mkdirSync(join(dir, "home"));
    npm(["pack", "--pack-destination", dir], src);
    const tarball = join(dir, `secretgen-${PKG.version}.tgz`);
    const listing = execFileSync("tar", ["-tzf", tarball]).toString().split("\n");
    expect(listing).toContain("package/dist/bundle/main.js");
    expect(listing).toContain("package/dist/bundle/worker.js");
    expect(listing).toContain("package/nix/module.nix");
    expect(listing.filter((f) => f.startsWith("package/src/"))).toEqual([]);

    npm(["install", "-g", "--offline", "--prefix", join(dir, "prefix"), tarball], dir);
    const installed = join(dir, "prefix", "lib", "node_modules", "secretgen");
    // Nothing outside node's own modules is required: there is nothing else installed.
    const bundle = join(installed, "dist", "bundle");
    const builtins = new Set(builtinModules);
    for (const f of readdirSync(bundle).filter((n) => n.endsWith(".js"))) {
      const code = readFileSync(join(bundle, f), "utf8");
      for (const m of code.matchAll(/require\((["'])([^"']+)\1\)/g)) {
        const name = m[2] ?? "";
        if (name.startsWith("./")) continue;
        expect(builtins.has(name.replace(/^node:/, "")), `${f} requires ${name}`).toBe(true);
      }
    }

    const repo = join(dir, "repo");
    mkdirSync(repo);
    execFileSync("git", ["init", "-q"], { cwd: repo, env: env() });
    const sg = (...args: string[]) =>
      execFileSync("secretgen", args, { cwd: repo, env: env(), stdio: ["ignore", "pipe", "pipe"] })
        .toString()
        .trim();
    expect(
      execFileSync("sh", ["-c", "command -v secretgen"], { env: env() }).toString().trim(),
    ).toBe(join(dir, "prefix", "bin", "secretgen"));
    expect(sg("--version")).toBe(PKG.version);
    const recipient = sg("init");
    expect(recipient).toMatch(/^age1[0-9a-z]{58}$/);
    const file = join(repo, "secrets", "secrets.json");
    const doc = JSON.parse(readFileSync(file, "utf8")) as {
      admins: string[];
      secrets: Record<string, unknown>;
    };
    expect(doc.admins).toEqual([recipient]);
    doc.secrets["app/token"] = { random: { length: 40, charset: "hex" } };
    writeFileSync(file, JSON.stringify(doc));
    expect(sg("generate")).toContain("created 1");
    const key = join(dir, "home", ".config", "secretgen", "admin.key");
    const reveal = (name: string) =>
      execFileSync("age", ["-d", "-i", key, join(repo, `secrets/data/${name}.age`)]).toString();
    const token = reveal("app/token");
    expect(token).toMatch(/^[0-9a-f]{40}$/);
    expect(sg("check", "--offline")).toContain("unchanged 1");

    // What is loaded only when used must be in the package too: handlebars' parser (block
    // helpers), the Go engine, bcrypt, the keypair generators, and the worker threads.
    Object.assign(doc.secrets, {
      "app/block": {
        template: { content: '{{#if (secret "app/token")}}<{{secret "app/token"}}>{{/if}}' },
      },
      "app/go": { template: { engine: "go", content: '{{ secret "app/token" | printf "%.8s" }}' } },
      "app/json": {
        json: {
          content: {
            h: { __secretgen: "bcrypt", args: [{ __secretgen: "secret", args: ["app/token"] }] },
          },
        },
      },
      "app/ssh": { "ssh-ed25519": {} },
      "app/wg": { wireguard: {} },
    });
    for (let i = 0; i < 250; i++) doc.secrets[`many/${i}`] = { random: {} };
    writeFileSync(file, JSON.stringify(doc));
    expect(sg("generate", "--jobs", "2")).toContain("created 255");
    expect(reveal("app/block")).toBe(`<${token}>`);
    expect(reveal("app/go")).toBe(token.slice(0, 8));
    expect((JSON.parse(reveal("app/json")) as { h: string }).h).toMatch(/^\$2b\$10\$/);
    expect(reveal("app/ssh")).toContain("BEGIN OPENSSH PRIVATE KEY");
    expect(readFileSync(join(repo, "secrets/public/app/wg.pub"), "utf8")).toMatch(
      /^[A-Za-z0-9+/]{43}=\n?$/,
    );
    expect(sg("check", "--jobs", "2")).toContain("unchanged 256");
  });
});
