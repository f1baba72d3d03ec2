/**
 * Which of the shipped bundle's modules a CLI run loaded: a preload script (passed through
 * NODE_OPTIONS) logs every dist/bundle file Node compiles, and `loaded` tells which of the
 * given modules (by their `// dist/...` marker in the bundle) were among them.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export class BundleTrace {
  private readonly dir = mkdtempSync(join(tmpdir(), "sg-trace-"));
  private readonly log = join(this.dir, "loaded.txt");
  /** The environment of a traced run. */
  readonly env: NodeJS.ProcessEnv;

  constructor() {
    const tracer = join(this.dir, "trace.cjs");
    writeFileSync(
      tracer,
      `const M = require("node:module"); const fs = require("node:fs");
const compile = M.prototype._compile;
M.prototype._compile = function (code, file) {
  if (file.includes("dist/bundle")) fs.appendFileSync(${JSON.stringify(this.log)}, file + "\\n");
  return compile.call(this, code, file);
};
`,
    );
    this.env = { NODE_OPTIONS: `--require ${tracer}` };
    this.reset();
  }

  /** Forget what earlier runs loaded. */
  reset(): void {
    writeFileSync(this.log, "");
  }

  /** Which of `modules` (paths under dist/, like `engine/exec/early-decrypt.js`) were loaded. */
  loaded(modules: readonly string[]): string[] {
    const files = readFileSync(this.log, "utf8").split("\n").filter(Boolean);
    const sources = files.map((f) => readFileSync(f, "utf8")).join("\n");
    return modules.filter((m) => sources.includes(`// dist/${m}`));
  }

  cleanup(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}
