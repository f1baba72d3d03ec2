/**
 * Finding programs on the invoking PATH and building the script's PATH.
 */
import { chmodSync, mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { afterEach, expect, it } from "vitest";
import {
  EMPTY_PATH,
  findOnPath,
  scriptPath,
  storePathsOf,
} from "../../src/engine/script/resolve.js";
import { cleanupScratch, scratch } from "./helpers.js";

afterEach(cleanupScratch);

it("findOnPath: first executable regular file, absolute entries only", async () => {
  const a = scratch();
  const b = scratch();
  writeFileSync(join(a, "tool"), "not executable");
  mkdirSync(join(b, "dir"));
  writeFileSync(join(b, "tool"), "#!/bin/sh\n");
  chmodSync(join(b, "tool"), 0o755);
  expect(await findOnPath("tool", `:relative:${a}:${b}`)).toBe(join(b, "tool"));
  expect(await findOnPath("dir", b)).toBeUndefined();
  expect(await findOnPath("tool", undefined)).toBeUndefined();
});

it("scriptPath: INPUT/bin, absolute, joined by ':'", () => {
  expect(scriptPath([])).toBe(EMPTY_PATH);
  expect(scriptPath(["/nix/store/a-x", "rel/dir"])).toBe(
    `/nix/store/a-x/bin:${resolve("rel/dir")}/bin`,
  );
});

it("storePathsOf: top-level store paths, once each, in order", () => {
  expect(
    storePathsOf([
      "/nix/store/b-y/sub",
      "/opt/tool",
      "/nix/store/a-x",
      "/nix/store/b-y",
      "/nix/store/",
      "/nix/store/..",
    ]),
  ).toEqual(["/nix/store/b-y", "/nix/store/a-x"]);
});
