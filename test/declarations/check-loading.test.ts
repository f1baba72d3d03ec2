/**
 * A check whose code is still loading (a template engine loads on first use) throws
 * CheckLoading: loadDeclarations waits for it and validates again, read once, with the same
 * result and the same problems as a check that was loaded from the start.
 */
import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { CheckLoading } from "../../src/declarations/check-loading.js";
import { loadDeclarations } from "../../src/declarations/load.js";
import { DeclarationError } from "../../src/declarations/problems.js";
import { usageError } from "../../src/errors.js";
import { decls } from "../helpers/repo.js";

const layout = { secretsDir: "/nonexistent/secrets", templateFile: (rel: string) => rel };

/** Declarations on stdin (which can be read only once), with a checker that loads first. */
function load(secrets: Record<string, unknown>, bad?: string) {
  let loaded = false;
  let loads = 0;
  const checked: string[] = [];
  const checkTemplate = (source: string, secret: string) => {
    if (!loaded) {
      loads++;
      throw new CheckLoading(
        Promise.resolve().then(() => {
          loaded = true;
        }),
      );
    }
    checked.push(secret);
    if (source === bad) throw usageError("bad template", { secret, field: "template" });
  };
  const result = loadDeclarations({
    source: { from: "stdin" },
    stdin: Readable.from([JSON.stringify(decls(secrets))]),
    layout,
    cwd: "/",
    checks: { checkTemplate },
  });
  return { result, checked, loads: () => loads };
}

describe("CheckLoading", () => {
  const a = { hosts: ["web01"], template: { content: "a" } };
  const b = { hosts: ["web01"], template: { content: "b" } };

  it("validation waits for the check to load, then checks every template once more", async () => {
    const { result, checked, loads } = load({ a, b });
    const declarations = await result;
    expect(loads()).toBe(1);
    expect(checked).toEqual(["a", "b"]);
    expect([...declarations.secrets.keys()]).toEqual(["a", "b"]);
  });

  it("a problem the loaded check finds is a declaration error as usual", async () => {
    const { result } = load({ a, b }, "b");
    const err = await result.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(DeclarationError);
    expect(err).toMatchObject({ message: 'secrets."b".template: bad template' });
  });
});
