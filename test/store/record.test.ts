/**
 * Entropy records: the exact bytes serializeRecord writes, parseRecord's round trip, and each
 * malformed record's error, which names the secret and the field and never quotes the content.
 */
import { describe, expect, it } from "vitest";
import { SecretgenError } from "../../src/errors.js";
import {
  RECORD_FORMAT,
  RECORD_VERSION,
  parseRecord,
  serializeRecord,
  type EntropyRecord,
} from "../../src/store/record.js";
import { RENDERER_VERSION } from "../../src/store/renderer-version.js";

const H = (c: string) => c.repeat(64);

const record = (): EntropyRecord => ({
  renderer: RENDERER_VERSION,
  generator: "template",
  declarationHash: H("d"),
  entropy: new Uint8Array([0, 1, 2, 250, 255]),
  output: H("0"),
  memo: { [H("m")]: "$2b$10$memo" },
  dependencies: { "db/pw": H("1") },
  pinned: false,
});

const bytes = (doc: unknown) => new TextEncoder().encode(JSON.stringify(doc));
const doc = () => JSON.parse(new TextDecoder().decode(serializeRecord(record()))) as object;

describe("serializeRecord", () => {
  it("writes sorted keys, base64 entropy, one line", () => {
    expect(new TextDecoder().decode(serializeRecord(record()))).toBe(
      `{"declarationHash":"${H("d")}","dependencies":{"db/pw":"${H("1")}"},"entropy":"AAEC+v8=",` +
        `"format":"${RECORD_FORMAT}","generator":"template","memo":{"${H("m")}":"$2b$10$memo"},` +
        `"output":"${H("0")}","pinned":false,"renderer":${RENDERER_VERSION},"version":${RECORD_VERSION}}\n`,
    );
  });
});

describe("parseRecord", () => {
  it("round trip: parse gives back the record, serialize the same bytes", () => {
    const parsed = parseRecord(serializeRecord(record()), "app/env");
    expect(parsed).toEqual(record());
    expect(serializeRecord(parsed)).toEqual(serializeRecord(record()));
    const pinned = { ...record(), entropy: new Uint8Array(0), memo: {}, pinned: true };
    expect(parseRecord(serializeRecord(pinned), "x")).toEqual(pinned);
  });

  it("takes older renderer versions and extra fields", () => {
    expect(parseRecord(bytes({ ...doc(), renderer: 1, extra: 1 }), "x").renderer).toBe(1);
  });

  const SECRET_TEXT = "hunter2-in-the-record";
  it.each<[string, Uint8Array, string]>([
    ["not UTF-8", new Uint8Array([0x7b, 0xff, 0x7d]), "not JSON"],
    ["not JSON", new TextEncoder().encode(`{${SECRET_TEXT}`), "not JSON"],
    ["null", bytes(null), "not an object"],
    ["a string", bytes(SECRET_TEXT), "not an object"],
    ["another format", bytes({ ...doc(), format: SECRET_TEXT }), "unknown format tag"],
    ["no version", bytes({ ...doc(), version: undefined }), "no version"],
    ["a string renderer", bytes({ ...doc(), renderer: "1" }), "no version"],
    ["version 0", bytes({ ...doc(), version: 0 }), "bad version"],
    ["renderer 0", bytes({ ...doc(), renderer: 0 }), "bad version"],
    ["an unknown generator", bytes({ ...doc(), generator: SECRET_TEXT }), "unknown generator"],
    ["a short declarationHash", bytes({ ...doc(), declarationHash: "abc" }), "declarationHash"],
    [
      "an upper-case declarationHash",
      bytes({ ...doc(), declarationHash: H("D") }),
      "declarationHash",
    ],
    ["entropy not base64", bytes({ ...doc(), entropy: SECRET_TEXT }), "entropy"],
    ["entropy a number", bytes({ ...doc(), entropy: 1 }), "entropy"],
    ["output not a digest", bytes({ ...doc(), output: SECRET_TEXT }), "output"],
    ["memo a list", bytes({ ...doc(), memo: [] }), "memo"],
    ["memo of numbers", bytes({ ...doc(), memo: { a: 1 } }), "memo"],
    ["dependencies missing", bytes({ ...doc(), dependencies: undefined }), "dependencies"],
    ["dependencies of lists", bytes({ ...doc(), dependencies: { a: [] } }), "dependencies"],
    ["pinned a string", bytes({ ...doc(), pinned: "no" }), "pinned"],
  ])("%s: corrupt, naming the secret and field, not the content", (_, input, what) => {
    let error: unknown;
    try {
      parseRecord(input, "app/env");
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(SecretgenError);
    const e = error as SecretgenError;
    expect(e.message).toBe(`entropy record is corrupt (${what})`);
    expect(e.secret).toBe("app/env");
    expect(e.hint).toMatch(/restore secrets\/entropy from git/);
    expect(`${e.message} ${e.hint ?? ""}`).not.toContain(SECRET_TEXT);
  });

  it.each([
    ["a newer format", { version: RECORD_VERSION + 1 }],
    ["a newer renderer", { renderer: RENDERER_VERSION + 1 }],
  ])("%s: an error asking for an upgrade", (_, over) => {
    const d = { ...doc(), ...over } as { version: number; renderer: number };
    let error: unknown;
    try {
      parseRecord(bytes(d), "app/env");
    } catch (err) {
      error = err;
    }
    expect((error as SecretgenError).message).toBe(
      `entropy record was written by a newer secretgen (format ${d.version}, renderer ${d.renderer})`,
    );
    expect((error as SecretgenError).secret).toBe("app/env");
    expect((error as SecretgenError).hint).toBe("upgrade secretgen");
  });
});
