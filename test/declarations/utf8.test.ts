/** invalidUtf8Offset agrees with a fatal TextDecoder, and finds the first bad byte. */
import { describe, expect, it } from "vitest";
import { decodeUtf8, invalidUtf8Offset } from "../../src/declarations/utf8.js";

const fatal = new TextDecoder("utf-8", { fatal: true });
function valid(b: Uint8Array): boolean {
  try {
    fatal.decode(b);
    return true;
  } catch {
    return false;
  }
}

describe("invalidUtf8Offset", () => {
  it("agrees with TextDecoder on 20000 seeded byte strings, and its prefix before is valid", () => {
    let x = 0x9e3779b9;
    const next = () => ((x ^= x << 13), (x ^= x >>> 17), (x ^= x << 5), x >>> 0);
    const bias = [
      0x41, 0xc3, 0xa9, 0xe2, 0x82, 0xac, 0xf0, 0x9f, 0x98, 0x80, 0xed, 0xa0, 0xc0, 0xff, 0xf4,
      0x90,
    ];
    let invalid = 0;
    for (let i = 0; i < 20_000; i++) {
      const b = Uint8Array.from(
        { length: 1 + (next() % 8) },
        () => bias[next() % bias.length] ?? 0,
      );
      const at = invalidUtf8Offset(b);
      expect(at === undefined, Buffer.from(b).toString("hex")).toBe(valid(b));
      if (at !== undefined) {
        invalid++;
        expect(valid(b.subarray(0, at))).toBe(true);
      }
    }
    expect(invalid).toBeGreaterThan(5_000);
  });

  it.for([
    ["61c328", 1],
    ["eda080", 0], // a surrogate
    ["c0af", 0], // overlong
    ["f4908080", 0], // above U+10FFFF
    ["e282", 0], // truncated
    ["41e282ac42", undefined],
  ] as const)("%s → %s", ([hex, at]) => {
    expect(invalidUtf8Offset(Buffer.from(hex, "hex"))).toBe(at);
  });

  it("decodeUtf8 names the file and the offset", () => {
    expect(() => decodeUtf8(Buffer.from("ab\xffc", "latin1"), "templates/x.hbs")).toThrow(
      "templates/x.hbs is not valid UTF-8 (byte offset 2)",
    );
  });
});
