/**
 * What a run loads from secrets/: data files are hashed, not kept, and read again only when a
 * value must come from one. The bytes read then must be the ones that were hashed.
 */
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { LocalExecutor } from "../../src/engine/exec/index.js";
import { dataBytes, loadStored } from "../../src/engine/stored.js";
import { sha256Hex } from "../../src/store/manifest.js";
import { Layout } from "../../src/store/layout.js";
import { SecretgenError } from "../../src/errors.js";
import { failure } from "../helpers/failures.js";

let root: string;
let layout: Layout;

beforeEach(() => {
  root = realpathSync(mkdtempSync(join(tmpdir(), "sg-stored-")));
  mkdirSync(join(root, "secrets/data/app"), { recursive: true });
  layout = new Layout(root);
});
afterEach(() => {
  rmSync(root, { recursive: true, force: true });
});

describe("loadStored and dataBytes", () => {
  it("hashes data files without keeping their bytes, and hands the same bytes out later", async () => {
    const bytes = new Uint8Array([1, 2, 3, 250]);
    writeFileSync(layout.dataFile("app/db"), bytes);
    const stored = await loadStored(["app/db", "app/none"], layout, new LocalExecutor([]));
    expect(stored.get("app/db")).toEqual({ dataHash: sha256Hex(bytes) });
    expect(stored.get("app/none")).toEqual({});
    expect(dataBytes("app/db", layout, stored)).toEqual(bytes);
  });

  it("refuses a data file that changed, or went away, after it was hashed", async () => {
    writeFileSync(layout.dataFile("app/db"), "before");
    const stored = await loadStored(["app/db"], layout, new LocalExecutor([]));
    writeFileSync(layout.dataFile("app/db"), "after!");
    const err = failure(() => dataBytes("app/db", layout, stored));
    expect(err.message).toContain("changed while secretgen was running");
    expect(err.secret).toBe("app/db");
    expect(err.exitCode).toBe(3);
    rmSync(layout.dataFile("app/db"));
    expect(failure(() => dataBytes("app/db", layout, stored))).toBeInstanceOf(SecretgenError);
  });
});
