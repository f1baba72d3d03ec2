import { describe, expect, it } from "vitest";
import type { SecretgenError } from "../../src/errors.js";
import { declarationSource } from "../../src/cli/sources.js";

describe("declarationSource: --config, --nix and --nix-attr", () => {
  it("turns the options into a source", () => {
    expect(declarationSource({})).toEqual({ from: "file", path: undefined });
    expect(declarationSource({ config: "d.json" })).toEqual({ from: "file", path: "d.json" });
    expect(declarationSource({ config: "-" })).toEqual({ from: "stdin" });
    expect(declarationSource({ nix: ".#secretgen" })).toEqual({
      from: "nix",
      ref: ".#secretgen",
      attr: undefined,
    });
    expect(declarationSource({ nix: "d.nix", nixAttr: "a.b" })).toEqual({
      from: "nix",
      ref: "d.nix",
      attr: "a.b",
    });
  });

  it.for([
    [{ config: "d.json", nix: "d.nix" }, "give either --config or --nix, not both", undefined],
    [{ nixAttr: "x" }, "--nix-attr goes with --nix FILE.nix", undefined],
    [{ nix: "" }, "--nix needs a flake reference (FLAKEREF#ATTR) or a .nix file", undefined],
    [
      { nix: "./f#secretgen", nixAttr: "x" },
      '--nix-attr goes with --nix FILE.nix; a flake reference names its attribute after "#"',
      "use --nix ./f#ATTR",
    ],
    [{ nix: "a.nix", nixAttr: "--arg" }, 'invalid --nix-attr "--arg"', undefined],
    [{ nix: "a.nix", nixAttr: "" }, 'invalid --nix-attr ""', undefined],
  ] as const)("refuses %j (exit 2)", ([opts, message, hint]) => {
    let caught: SecretgenError | undefined;
    try {
      declarationSource(opts);
    } catch (e) {
      caught = e as SecretgenError;
    }
    expect(caught?.message).toBe(message);
    expect(caught?.hint).toBe(hint);
    expect(caught?.exitCode).toBe(2);
    expect(caught?.reason).toBe("usage");
  });
});
