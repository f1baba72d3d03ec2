/**
 * jsonErrorOffset: valid exactly when JSON.parse accepts the text, and where V8 gives a position
 * for its error, the same one; known offsets for the inputs V8 gives none for.
 */
import { describe, expect, it } from "vitest";
import { jsonErrorOffset } from "../../src/declarations/json-error-offset.js";
import { parseJson } from "../../src/declarations/load.js";

function v8(source: string): { valid: boolean; position?: number } {
  try {
    JSON.parse(source);
    return { valid: true };
  } catch (err) {
    const m = /position (\d+)/.exec((err as Error).message);
    return m?.[1] === undefined ? { valid: false } : { valid: false, position: Number(m[1]) };
  }
}

/** A seeded generator of JSON-ish text: valid documents with random damage. */
function* cases(count: number): Generator<string> {
  let x = 0x2545f491;
  const next = () => ((x ^= x << 13), (x ^= x >>> 17), (x ^= x << 5), (x >>> 0) / 2 ** 32);
  const pieces = [
    '{"a":',
    "[",
    "]",
    "}",
    ",",
    '"s"',
    "1",
    "-0.5e3",
    "true",
    "nul",
    ":",
    " ",
    "\n",
    '"\\u12"',
    '"\\x"',
    "01",
    "-",
    "{}",
    "[]",
  ];
  for (let i = 0; i < count; i++) {
    let s = "";
    const n = 1 + Math.floor(next() * 8);
    for (let k = 0; k < n; k++) s += pieces[Math.floor(next() * pieces.length)] ?? "";
    yield s;
  }
}

describe("jsonErrorOffset", () => {
  it("agrees with JSON.parse on 20000 generated texts, and with V8's positions", () => {
    let invalid = 0;
    let positioned = 0;
    for (const s of cases(20_000)) {
      const ours = jsonErrorOffset(s);
      const theirs = v8(s);
      expect(ours === undefined, JSON.stringify(s)).toBe(theirs.valid);
      if (!theirs.valid) invalid++;
      if (theirs.position !== undefined) {
        positioned++;
        expect(ours, JSON.stringify(s)).toBe(theirs.position);
      }
    }
    expect(invalid).toBeGreaterThan(10_000);
    expect(positioned).toBeGreaterThan(1_000);
  });

  it.for([
    [",,,", 0],
    ['{"admins": [', 12],
    ['{"a": 1,,}', 8],
    ['{\n  "a": tru', 12],
    ['{"a": "x\n"}', 8],
  ] as const)("%j fails at offset %i", ([source, offset]) => {
    expect(jsonErrorOffset(source)).toBe(offset);
  });

  it.for([
    [",,,", "x.json is not valid JSON at line 1, column 1"],
    ['{"admins": [', "x.json is not valid JSON at line 1, column 13 (it ends too early)"],
    ['{\n  "admins": [],\n  "secrets": {,}\n}', "x.json is not valid JSON at line 3, column 15"],
  ] as const)("parseJson(%j) says %j", ([source, message]) => {
    expect(() => parseJson(source, "x.json")).toThrow(
      expect.objectContaining({ message, exitCode: 2, reason: "declarations" }),
    );
  });
});
