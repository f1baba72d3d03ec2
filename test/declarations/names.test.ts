import { describe, expect, it } from "vitest";
import {
  compareNames,
  nameCollisions,
  nameProblem,
  sortedNames,
} from "../../src/declarations/names.js";

describe("nameProblem", () => {
  it.for(["db", "wg/web01", "a.b/c-d_e+f", "0", "x.d/y", "a".repeat(200)])("accepts %j", (name) => {
    expect(nameProblem(name)).toBeUndefined();
  });

  it.for([
    ["", "is empty"],
    ["a".repeat(201), "is longer than 200 characters"],
    ["/etc", "is an absolute path"],
    ["a//b", "has an empty path segment"],
    ["a/", "has an empty path segment"],
    ["a/./b", 'has a "." path segment'],
    ["..", 'has a ".." path segment'],
    [".hidden", 'has a path segment starting with "."'],
    ["a/.b", 'has a path segment starting with "."'],
    ["a b", "may only contain A-Z a-z 0-9 . _ + - and /"],
    ["caf\u00e9", "may only contain A-Z a-z 0-9 . _ + - and /"],
    ["a\nb", "may only contain A-Z a-z 0-9 . _ + - and /"],
  ])("refuses %j: %s", ([name, problem]) => {
    expect(nameProblem(name ?? "")).toBe(problem);
  });
});

describe("nameCollisions", () => {
  it("finds case-folded twins and public directories holding other secrets", () => {
    expect(nameCollisions(["b", "B", "ca", "ca.d/key", "CA.D/x/y.d/z", "x/y", "ok"])).toEqual([
      ["B", "b"],
      ["ca", "CA.D/x/y.d/z"],
      ["ca", "ca.d/key"],
    ]);
    expect(nameCollisions(["a/b", "a/b.d/c", "a.d", "a.d.d/q"])).toEqual([
      ["a.d", "a.d.d/q"],
      ["a/b", "a/b.d/c"],
    ]);
    expect(nameCollisions(["conf.d/web", "conf.d/db"])).toEqual([]);
  });
});

describe("sortedNames", () => {
  it("sorts by code point into a new array, whether or not the input is in order", () => {
    const inOrder = ["a", "b", "b", "c"];
    const sorted = sortedNames(inOrder);
    expect(sorted).toEqual(inOrder);
    expect(sorted).not.toBe(inOrder);
    const mixed = ["b", "a/b", "B", "a", "\u00e9", "a.b", "a"];
    expect(sortedNames(mixed)).toEqual([...mixed].sort(compareNames));
    expect(sortedNames(new Set(["z", "y"]))).toEqual(["y", "z"]);
    expect(sortedNames([])).toEqual([]);
  });
});
