/**
 * Child processes in these tests need the real store modules, and dist/ may be missing or stale:
 * compile just src/store/{atomic,lock,layout}.ts (and what they import: through the layers'
 * index.ts files, the declarations and age layers too) to a temporary directory under
 * node_modules/ (so that the compiled modules find the packages they import) with the
 * project's own tsc, and run small .mjs scripts against that.
 */
import { execFileSync, spawn, spawnSync, type SpawnSyncReturns } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";

const ROOT = resolve(import.meta.dirname, "../..");
const TSC = join(ROOT, "node_modules/typescript/bin/tsc");

export interface Built {
  /** file: URL of a compiled module, e.g. `url("store/lock.js")`. */
  url(rel: string): string;
  /** Write `source` as an ES module and run it with node; `args` become process.argv[2…]. */
  run(source: string, args?: string[], env?: NodeJS.ProcessEnv): SpawnSyncReturns<string>;
  /** Like run, but asynchronous: resolves when the process has exited. */
  start(source: string, args?: string[]): Promise<Exited>;
  cleanup(): void;
}

export interface Exited {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Compile the store modules; call in beforeAll (takes a few seconds). */
export function buildStore(): Built {
  const out = mkdtempSync(join(ROOT, "node_modules", ".sg-store-build-"));
  const files = [
    ...["atomic", "lock", "layout"].map((f) => join(ROOT, "src/store", `${f}.ts`)),
    // The declarations of untyped packages and of handlebars' parser.
    ...["src/age/bcrypt-pbkdf.d.ts", "src/types/handlebars-parser.d.ts"].map((f) => join(ROOT, f)),
  ];
  execFileSync(
    process.execPath,
    [
      TSC,
      ...["--outDir", out, "--rootDir", join(ROOT, "src")],
      ...["--module", "nodenext", "--moduleResolution", "nodenext", "--target", "es2022"],
      ...["--types", "node", "--skipLibCheck", "--noEmitOnError", "--strict"],
      ...files,
    ],
    { cwd: ROOT, stdio: "pipe" },
  );
  writeFileSync(join(out, "package.json"), '{ "type": "module" }\n');
  let n = 0;
  const script = (source: string) => {
    const path = join(out, `child-${n++}.mjs`);
    writeFileSync(path, source);
    return path;
  };
  return {
    url: (rel) => pathToFileURL(join(out, rel)).href,
    run: (source, args = [], env = process.env) =>
      spawnSync(process.execPath, [script(source), ...args], { encoding: "utf8", env }),
    start: (source, args = []) =>
      new Promise((done) => {
        const child = spawn(process.execPath, [script(source), ...args]);
        let stdout = "";
        let stderr = "";
        child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
        child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
        child.on("close", (code, signal) => {
          done({ code, signal, stdout, stderr });
        });
      }),
    cleanup: () => {
      rmSync(out, { recursive: true, force: true });
    },
  };
}
