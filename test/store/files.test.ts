import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { SecretgenError } from "../../src/errors.js";
import { hashFileIfExists, readIfExists, readText } from "../../src/store/files.js";
import { Layout } from "../../src/store/layout.js";
import { publicHasher, publicHashes } from "../../src/store/public-files.js";

let tmp: string;
beforeEach(() => {
  tmp = realpathSync(mkdtempSync(join(tmpdir(), "sg-files-")));
});
afterEach(() => {
  rmSync(tmp, { recursive: true, force: true });
});

function write(rel: string, content: string | Uint8Array = "x"): string {
  const path = join(tmp, rel);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, content);
  return path;
}

const sha256 = (data: Uint8Array | string) => createHash("sha256").update(data).digest("hex");

describe("hashFileIfExists", () => {
  it.for([0, 1, 333, 65535, 65536, 65537, 200_000])(
    "hashes a file of %i bytes like SHA-256 of readIfExists",
    (size) => {
      const bytes = new Uint8Array(size).map((_, i) => (i * 31 + 7) % 256);
      const path = write(`f${size}`, bytes);
      expect(hashFileIfExists(path)).toBe(sha256(bytes));
      expect(hashFileIfExists(path)).toBe(sha256(readIfExists(path) ?? new Uint8Array()));
    },
  );

  it("gives each file its own hash when called in turn (the buffer is reused)", () => {
    const big = write("big", new Uint8Array(70_000).fill(1));
    const small = write("small", "abc");
    expect(hashFileIfExists(big)).toBe(sha256(new Uint8Array(70_000).fill(1)));
    expect(hashFileIfExists(small)).toBe(sha256("abc"));
  });

  it("is undefined for a missing file and an error naming the path otherwise", () => {
    expect(hashFileIfExists(join(tmp, "nope.age"))).toBeUndefined();
    expect(readIfExists(join(tmp, "nope.age"))).toBeUndefined();
    mkdirSync(join(tmp, "dir.age"));
    for (const read of [hashFileIfExists, readIfExists]) {
      const e = (() => {
        try {
          read(join(tmp, "dir.age"));
        } catch (err) {
          return err as SecretgenError;
        }
        throw new Error("did not throw");
      })();
      expect(e).toBeInstanceOf(SecretgenError);
      expect(e.exitCode).toBe(3);
      expect(e.message).toBe(
        `cannot read ${join(tmp, "dir.age")}: illegal operation on a directory (EISDIR)`,
      );
    }
  });
});

describe("readText", () => {
  it("decodes like readFileSync(path, 'utf8'), invalid bytes included", () => {
    const path = write("t.json", new Uint8Array([0xef, 0xbb, 0xbf, 0x7b, 0xc3, 0xa9, 0xff, 0x7d]));
    expect(readText(path)).toBe("\ufeff{é\ufffd}");
    expect(() => readText(join(tmp, "missing"))).toThrow(/ENOENT/);
  });
});

describe("publicHasher", () => {
  let layout: Layout;
  beforeEach(() => {
    mkdirSync(join(tmp, "secrets"));
    layout = new Layout(tmp);
  });

  const NAMES = ["wg/web01", "wg/db01", "ca", "ca2", "other/x", "conf.d/web", "conf", "a/b/c"];
  const same = () => {
    const hashes = publicHasher(layout);
    for (const name of NAMES) expect(hashes(name), name).toEqual(publicHashes(layout, name));
  };

  it("finds nothing when secrets/public/ is missing or is a file", () => {
    same();
    write("secrets/public", "not a directory");
    same();
  });

  it("gives the same hashes as publicHashes for keypairs and script directories", () => {
    write("secrets/public/wg/web01.pub", "pub1");
    write("secrets/public/ca.pub", "capub");
    write("secrets/public/ca.d/cert.pem", "cert");
    write("secrets/public/ca.d/sub/deep.txt", "deep");
    write("secrets/public/ca.d/.hidden", "dot files count too");
    write("secrets/public/conf.d/web.pub", "web");
    write("secrets/public/a/b/c.d/x", "x");
    write("secrets/public/other", "a file where a directory would be");
    same();
    expect(publicHasher(layout)("ca")).toEqual({
      "ca.pub": sha256("capub"),
      "ca.d/.hidden": sha256("dot files count too"),
      "ca.d/cert.pem": sha256("cert"),
      "ca.d/sub/deep.txt": sha256("deep"),
    });
  });

  it("follows symbolic links as publicHashes does", () => {
    write("elsewhere/web01.pub", "linked");
    mkdirSync(join(tmp, "secrets/public"), { recursive: true });
    symlinkSync(join(tmp, "elsewhere"), join(tmp, "secrets/public/wg"));
    symlinkSync(join(tmp, "nowhere"), join(tmp, "secrets/public/ca.pub"));
    same();
    expect(publicHasher(layout)("wg/web01")).toEqual({ "wg/web01.pub": sha256("linked") });
  });

  it("answers like publicHashes when names differ only in case or are not plain ASCII", () => {
    write("secrets/public/WG/Web01.pub", "upper");
    write("secrets/public/Ca.pub", "upper ca");
    write("secrets/public/ca2.d/caf\u00e9", "accent");
    write("secrets/public/conf.d/\u212a.pub", "kelvin");
    same();
  });
});
