import fs, {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { SecretgenError } from "../../src/errors.js";
import {
  removeEmptyParents,
  removeFileAtomic,
  sweepTempFiles,
  writeFileAtomic,
} from "../../src/store/index.js";
import { buildStore, type Built } from "./build.js";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "sg-atomic-"));
});
afterEach(() => {
  vi.restoreAllMocks();
  chmodSync(dir, 0o755);
  rmSync(dir, { recursive: true, force: true });
});

const mode = (p: string) => statSync(p).mode & 0o777;
const isRoot = process.getuid?.() === 0;

/** Every file under `d`, relative, sorted. */
function tree(d: string): string[] {
  return readdirSync(d, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name).slice(d.length + 1))
    .sort();
}

async function expectIoError(p: Promise<unknown>, path: string): Promise<SecretgenError> {
  const err: unknown = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(SecretgenError);
  const e = err as SecretgenError;
  expect(e.exitCode).toBe(3);
  expect(e.message).toContain(path);
  return e;
}

function eio(): NodeJS.ErrnoException {
  return Object.assign(new Error("EIO: i/o error, injected"), { code: "EIO" });
}

describe("writeFileAtomic", () => {
  it("writes strings as UTF-8 and bytes as given, creating parent directories", async () => {
    const a = join(dir, "data/user-passwords/alice.age");
    await writeFileAtomic(a, "héllo\n");
    await writeFileAtomic(join(dir, "b.bin"), new Uint8Array([0, 255, 1]));
    expect(readFileSync(a, "utf8")).toBe("héllo\n");
    expect([...readFileSync(join(dir, "b.bin"))]).toEqual([0, 255, 1]);
    expect(tree(dir)).toEqual(["b.bin", "data/user-passwords/alice.age"]);
  });

  it("gives mode 0644 by default whatever the umask, and exactly the mode asked for", async () => {
    const old = process.umask(0o077);
    try {
      await writeFileAtomic(join(dir, "pub"), "x");
      await writeFileAtomic(join(dir, "private"), "x", { mode: 0o600 });
      await writeFileAtomic(join(dir, "group"), "x", { mode: 0o664 });
    } finally {
      process.umask(old);
    }
    expect(mode(join(dir, "pub"))).toBe(0o644);
    expect(mode(join(dir, "private"))).toBe(0o600);
    expect(mode(join(dir, "group"))).toBe(0o664);
  });

  it("replaces an existing file (and its mode) and leaves no temporary file", async () => {
    const p = join(dir, "x.age");
    writeFileSync(p, "old", { mode: 0o600 });
    await writeFileAtomic(p, "new");
    expect(readFileSync(p, "utf8")).toBe("new");
    expect(mode(p)).toBe(0o644);
    expect(readdirSync(dir)).toEqual(["x.age"]);
  });

  it("a failed rename leaves the old file intact and no temporary file", async () => {
    const p = join(dir, "x.age");
    writeFileSync(p, "old");
    vi.spyOn(fs, "renameSync").mockImplementationOnce(() => {
      throw eio();
    });
    const e = await expectIoError(writeFileAtomic(p, "new"), p);
    expect(e.message).toMatch(/i\/o error \(EIO\)/);
    expect(e.cause).toMatchObject({ code: "EIO" });
    expect(readFileSync(p, "utf8")).toBe("old");
    expect(readdirSync(dir)).toEqual(["x.age"]);
  });

  it("a failed fsync after a partial write leaves the old file intact and no temporary file", async () => {
    const p = join(dir, "x.age");
    writeFileSync(p, "old");
    const realOpen = fs.openSync.bind(fs);
    let tmp = "";
    vi.spyOn(fs, "openSync").mockImplementationOnce((path, flags, m) => {
      tmp = String(path);
      return realOpen(path, flags, m);
    });
    vi.spyOn(fs, "fsync").mockImplementationOnce((_fd, callback) => {
      callback(eio());
    });
    await expectIoError(writeFileAtomic(p, "new content"), p);
    expect(tmp).toMatch(/\/\.x\.age\.secretgen-tmp-[0-9a-f]+$/);
    expect(existsSync(tmp)).toBe(false);
    expect(readFileSync(p, "utf8")).toBe("old");
    expect(readdirSync(dir)).toEqual(["x.age"]);
  });

  it("a real failure (the target is a non-empty directory) leaves it intact and no temp file", async () => {
    const p = join(dir, "x.age");
    mkdirSync(p);
    writeFileSync(join(p, "inner"), "keep");
    await expectIoError(writeFileAtomic(p, "new"), p);
    expect(tree(dir)).toEqual(["x.age/inner"]);
  });

  it("fails without writing when a parent is a file", async () => {
    writeFileSync(join(dir, "data"), "a file");
    await expectIoError(writeFileAtomic(join(dir, "data/x.age"), "new"), "data/x.age");
    expect(tree(dir)).toEqual(["data"]);
  });

  it.skipIf(isRoot)(
    "fails in a read-only directory, leaving the old file and no temp file",
    async () => {
      const p = join(dir, "x.age");
      writeFileSync(p, "old");
      chmodSync(dir, 0o555);
      await expectIoError(writeFileAtomic(p, "new"), p);
      expect(readFileSync(p, "utf8")).toBe("old");
      expect(readdirSync(dir)).toEqual(["x.age"]);
    },
  );
});

describe("removeFileAtomic and removeEmptyParents", () => {
  it("removes a file and says so; a missing file is fine", async () => {
    const p = join(dir, "x.age");
    writeFileSync(p, "x");
    expect(await removeFileAtomic(p)).toBe(true);
    expect(existsSync(p)).toBe(false);
    expect(await removeFileAtomic(p)).toBe(false);
  });

  it("fails with the path on an error other than a missing file", async () => {
    mkdirSync(join(dir, "d"));
    await expectIoError(removeFileAtomic(join(dir, "d")), join(dir, "d"));
  });

  it("removes empty directories up to, not including, stopAt", async () => {
    const secrets = join(dir, "secrets");
    mkdirSync(join(secrets, "data/a/b/c"), { recursive: true });
    writeFileSync(join(secrets, "data/keep.age"), "x");
    const removed = await removeEmptyParents(join(secrets, "data/a/b/c"), secrets);
    expect(removed).toEqual(["data/a/b/c", "data/a/b", "data/a"].map((d) => join(secrets, d)));
    expect(tree(dir)).toEqual(["secrets/data/keep.age"]);
    await removeFileAtomic(join(secrets, "data/keep.age"));
    expect(await removeEmptyParents(join(secrets, "data"), secrets)).toEqual([
      join(secrets, "data"),
    ]);
    expect(existsSync(secrets)).toBe(true);
  });

  it("stops at a non-empty directory, skips a file or missing path, ignores paths outside", async () => {
    mkdirSync(join(dir, "s/a/b"), { recursive: true });
    writeFileSync(join(dir, "s/a/f"), "x");
    expect(await removeEmptyParents(join(dir, "s/a/b/gone"), join(dir, "s"))).toEqual([
      join(dir, "s/a/b"),
    ]);
    expect(await removeEmptyParents(join(dir, "s/a/f"), join(dir, "s"))).toEqual([]);
    mkdirSync(join(dir, "outside"));
    expect(await removeEmptyParents(join(dir, "outside"), join(dir, "s"))).toEqual([]);
    expect(await removeEmptyParents(join(dir, "s"), join(dir, "s"))).toEqual([]);
    expect(tree(dir)).toEqual(["s/a/f"]);
    expect(existsSync(join(dir, "outside"))).toBe(true);
  });
});

describe("sweepTempFiles", () => {
  it("removes leftover temporary files anywhere in the tree and returns them", async () => {
    const files: Record<string, string> = {
      "manifest.json": "keep",
      ".manifest.json.secretgen-tmp-0a1b2c": "leftover",
      "data/a.age": "keep",
      "data/ns/.b.age.secretgen-tmp-ffffff": "leftover",
      "public/x.d/.cert.pem.secretgen-tmp-123456": "leftover",
      "data/.hidden": "keep",
      "data/c.secretgen-tmp-abc": "keep (no leading dot)",
      "data/.c.age.secretgen-tmpX": "keep (not the marker)",
    };
    for (const [rel, content] of Object.entries(files)) {
      mkdirSync(join(dir, rel, ".."), { recursive: true });
      writeFileSync(join(dir, rel), content);
    }
    const swept = await sweepTempFiles(dir);
    const leftovers = Object.keys(files).filter((f) => files[f] === "leftover");
    expect(swept).toEqual(leftovers.map((f) => join(dir, f)).sort());
    expect(tree(dir)).toEqual(
      Object.keys(files)
        .filter((f) => files[f] !== "leftover")
        .sort(),
    );
    expect(await sweepTempFiles(dir)).toEqual([]);
  });

  it("gives [] for a missing directory", async () => {
    expect(await sweepTempFiles(join(dir, "nope"))).toEqual([]);
  });
});

describe("the test-only crash hook SECRETGEN_TEST_CRASH_AFTER_WRITES", () => {
  let built: Built;
  beforeAll(() => {
    built = buildStore();
  });
  afterAll(() => {
    built.cleanup();
  });

  const writer = () => `
    import { writeFileAtomic } from ${JSON.stringify(built.url("store/atomic.js"))};
    const dir = process.argv[2];
    for (const n of [1, 2, 3, 4]) {
      await writeFileAtomic(dir + "/f" + n, "new " + n);
      process.stdout.write("wrote " + n + "\\n");
    }
  `;

  it("SIGKILLs the process right after the k-th rename", () => {
    for (const n of [1, 2, 3, 4]) writeFileSync(join(dir, `f${n}`), `old ${n}`);
    const r = built.run(writer(), [dir], {
      ...process.env,
      SECRETGEN_TEST_CRASH_AFTER_WRITES: "2",
    });
    expect(r.signal).toBe("SIGKILL");
    expect(r.stdout).toBe("wrote 1\n");
    expect([1, 2, 3, 4].map((n) => readFileSync(join(dir, `f${n}`), "utf8"))).toEqual([
      "new 1",
      "new 2",
      "old 3",
      "old 4",
    ]);
    expect(readdirSync(dir).sort()).toEqual(["f1", "f2", "f3", "f4"]);
  });

  it("SECRETGEN_TEST_CRASH_AFTER_REMOVALS: SIGKILLs right after the k-th file removed", () => {
    for (const n of [1, 2, 3, 4]) writeFileSync(join(dir, `f${n}`), `old ${n}`);
    const remover = `
      import { removeFileAtomic, writeFileAtomic } from ${JSON.stringify(built.url("store/atomic.js"))};
      const dir = process.argv[2];
      await removeFileAtomic(dir + "/missing"); // nothing removed: not counted
      await writeFileAtomic(dir + "/f1", "new 1"); // a write: not counted
      for (const n of [2, 3, 4]) {
        await removeFileAtomic(dir + "/f" + n);
        process.stdout.write("removed " + n + "\\n");
      }
    `;
    const r = built.run(remover, [dir], {
      ...process.env,
      SECRETGEN_TEST_CRASH_AFTER_REMOVALS: "2",
    });
    expect(r.signal).toBe("SIGKILL");
    expect(r.stdout).toBe("removed 2\n");
    expect(readdirSync(dir).sort()).toEqual(["f1", "f4"]);
    expect(readFileSync(join(dir, "f1"), "utf8")).toBe("new 1");
  });

  it("does nothing when unset", () => {
    const env = { ...process.env };
    delete env.SECRETGEN_TEST_CRASH_AFTER_WRITES;
    const r = built.run(writer(), [dir], env);
    expect(r.signal).toBe(null);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe("wrote 1\nwrote 2\nwrote 3\nwrote 4\n");
  });
});
