/**
 * End-to-end test harness: a temporary repository with secrets/ and templates/, the demo keys
 * copied to private (0600) files, and the built CLI (dist/) run in it as a child process.
 */
import { spawnSync, spawn } from "node:child_process";
import {
  chmodSync,
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve } from "node:path";

export const ROOT = resolve(import.meta.dirname, "../..");
export const CLI = join(ROOT, "dist/bundle/main.js");
export const KEYS = join(ROOT, "test/fixtures/keys");

/** A private copy of a fixture key (git checks them out 0644). */
export function privateKey(name: string, dir: string): string {
  const dst = join(dir, name);
  copyFileSync(join(KEYS, name), dst);
  chmodSync(dst, 0o600);
  return dst;
}

export const ADMIN_RECIPIENT =
  /public key: (age1[0-9a-z]+)/.exec(readFileSync(join(KEYS, "admin.key"), "utf8"))?.[1] ?? "";
export const WEB01 = readFileSync(join(KEYS, "web01_ssh_host_ed25519_key.pub"), "utf8")
  .split(" ")
  .slice(0, 2)
  .join(" ");
export const DB01 = readFileSync(join(KEYS, "db01_ssh_host_rsa_key.pub"), "utf8")
  .split(" ")
  .slice(0, 2)
  .join(" ");

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
  stdoutBytes: Buffer;
}

export class TestRepo {
  readonly root: string;
  readonly keysDir: string;
  readonly adminKey: string;
  /** The CLI entry point this repository runs (a test may point it at a modified copy). */
  cli = CLI;

  constructor(decls?: unknown) {
    this.root = mkdtempSync(join(tmpdir(), "sg-test-"));
    this.keysDir = mkdtempSync(join(tmpdir(), "sg-keys-"));
    mkdirSync(join(this.root, "secrets"));
    this.adminKey = privateKey("admin.key", this.keysDir);
    if (decls !== undefined) this.declare(decls);
  }

  path(...p: string[]): string {
    return join(this.root, ...p);
  }

  declare(decls: unknown): void {
    this.write(
      "secrets/secrets.json",
      typeof decls === "string" || decls instanceof Uint8Array
        ? decls
        : JSON.stringify(decls, null, 2),
    );
  }

  write(rel: string, content: string | Uint8Array): void {
    const p = this.path(rel);
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, content);
  }

  read(rel: string): Buffer {
    return readFileSync(this.path(rel));
  }

  /** Run the CLI with the admin key (unless `identity: false`). */
  run(
    args: string[],
    opts: {
      input?: string | Buffer;
      identity?: boolean;
      env?: NodeJS.ProcessEnv;
      cwd?: string;
      /** Kill the run (SIGKILL, code -1) after this many milliseconds. */
      timeout?: number;
    } = {},
  ): RunResult {
    const idArgs = opts.identity === false ? [] : ["-i", this.adminKey];
    const r = spawnSync(process.execPath, [this.cli, ...args, ...idArgs], {
      cwd: opts.cwd ?? this.root,
      input: opts.input ?? "",
      env: this.env(opts.env),
      maxBuffer: 64 * 1024 * 1024,
      timeout: opts.timeout,
      killSignal: "SIGKILL",
    });
    return {
      code: r.status ?? -1,
      stdout: r.stdout.toString(),
      stderr: r.stderr.toString(),
      stdoutBytes: r.stdout,
    };
  }

  /** The CLI's environment: no colours, no default identity (HOME is the keys directory). */
  private env(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
    return {
      ...process.env,
      NO_COLOR: "1",
      SECRETGEN_IDENTITY: "",
      XDG_CONFIG_HOME: this.keysDir,
      HOME: this.keysDir,
      ...extra,
    };
  }

  /** Start the CLI without waiting (concurrency and crash tests). */
  spawn(args: string[], env: NodeJS.ProcessEnv = {}) {
    return spawn(process.execPath, [this.cli, ...args, "-i", this.adminKey], {
      cwd: this.root,
      env: this.env(env),
      stdio: ["ignore", "pipe", "pipe"],
    });
  }

  reveal(name: string): Buffer {
    const r = this.run(["reveal", name]);
    if (r.code !== 0) throw new Error(`reveal ${name} failed: ${r.stderr}`);
    return r.stdoutBytes;
  }

  /** Every file under secrets/ with its bytes and mtime, for "nothing changed" assertions. */
  snapshot(): Map<string, { bytes: string; mtime: number }> {
    const out = new Map<string, { bytes: string; mtime: number }>();
    const walk = (d: string) => {
      for (const e of readdirSync(d, { withFileTypes: true })) {
        const p = join(d, e.name);
        if (e.isDirectory()) walk(p);
        else
          out.set(relative(this.root, p), {
            bytes: readFileSync(p).toString("base64"),
            mtime: statSync(p).mtimeMs,
          });
      }
    };
    walk(this.path("secrets"));
    return out;
  }

  cleanup(): void {
    rmSync(this.root, { recursive: true, force: true });
    rmSync(this.keysDir, { recursive: true, force: true });
  }
}

/** Names of files whose bytes differ between two snapshots (added/removed included). */
export function changedFiles(
  a: Map<string, { bytes: string }>,
  b: Map<string, { bytes: string }>,
): string[] {
  const names = new Set([...a.keys(), ...b.keys()]);
  return [...names].filter((n) => a.get(n)?.bytes !== b.get(n)?.bytes).sort();
}

/** A minimal declarations document around the given secrets. */
export function decls(secrets: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  return { admins: [ADMIN_RECIPIENT], hosts: { web01: [WEB01], db01: [DB01] }, secrets, ...extra };
}
