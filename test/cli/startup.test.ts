/**
 * Start-up loads only the template engines the declarations use: `check --offline` checks every
 * template, and the bundle's chunk holding the Go engine (or handlebars) is loaded only when a
 * template of that engine is declared (engine/template/index.ts).
 */
import { afterAll, describe, expect, it } from "vitest";
import { BundleTrace } from "../helpers/bundle-trace.js";
import { TestRepo, decls } from "../helpers/repo.js";

const trace = new BundleTrace();
afterAll(() => {
  trace.cleanup();
});

/** Which engines' modules `check --offline` loaded for these secrets. */
function enginesLoaded(secrets: Record<string, unknown>): string[] {
  const repo = new TestRepo(decls(secrets));
  try {
    trace.reset();
    const r = repo.run(["check", "--offline"], { identity: false, env: trace.env });
    expect(r.stderr).not.toMatch(/error/i);
    return trace
      .loaded(["engine/template/handlebars/index.js", "engine/template/go/index.js"])
      .map((m) => (m.includes("/go/") ? "go" : "handlebars"));
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
