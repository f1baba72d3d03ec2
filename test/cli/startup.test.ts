/**
 * Start-up loads only the template engines the declarations use: `check --offline` checks every
 * template, and the bundle's chunk holding the Go engine (or handlebars) is loaded only when a
 * template of that engine is declared (engine/template/index.ts).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { TestRepo, decls } from "../helpers/repo.js";

const dir = mkdtempSync(join(tmpdir(), "sg-startup-"));
const tracer = join(dir, "trace.cjs");
const log = join(dir, "loaded.txt");
writeFileSync(
  tracer,
  `const M = require("node:module"); const fs = require("node:fs");
const compile = M.prototype._compile;
M.prototype._compile = function (code, file) {
  if (file.includes("dist/bundle")) fs.appendFileSync(${JSON.stringify(log)}, file + "\\n");
  return compile.call(this, code, file);
};
`,
);
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** Which engines' modules `check --offline` loaded for these secrets. */
function enginesLoaded(secrets: Record<string, unknown>): string[] {
  const repo = new TestRepo(decls(secrets));
  try {
    writeFileSync(log, "");
    const r = repo.run(["check", "--offline"], {
      identity: false,
      env: { NODE_OPTIONS: `--require ${tracer}` },
    });
    expect(r.stderr).not.toMatch(/error/i);
    const files = readFileSync(log, "utf8").split("\n").filter(Boolean);
    const sources = files.map((f) => readFileSync(f, "utf8")).join("\n");
    return ["handlebars", "go"].filter((e) =>
      sources.includes(`// dist/engine/template/${e}/index.js`),
    );
  } finally {
    repo.cleanup();
  }
}

describe("start-up", () => {
  const pw = { hosts: ["web01"], random: { length: 20 } };

  it("loads no template engine without templates", () => {
    expect(enginesLoaded({ pw })).toEqual([]);
  });

  it("loads handlebars alone for handlebars templates, the Go engine alone for Go ones", () => {
    const hbs = { hosts: ["web01"], template: { content: '{{secret "pw"}}' } };
    const go = { hosts: ["web01"], template: { engine: "go", content: '{{ secret "pw" }}' } };
    expect(enginesLoaded({ pw, hbs })).toEqual(["handlebars"]);
    expect(enginesLoaded({ pw, go })).toEqual(["go"]);
    expect(enginesLoaded({ pw, hbs, go })).toEqual(["handlebars", "go"]);
  });
});
