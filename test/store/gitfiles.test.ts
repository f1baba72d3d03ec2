/**
 * store/gitfiles.ts: the secrets directory's .gitattributes and .gitignore, held to the real
 * git: the lock, the journal and the temporary files of a run stopped mid-write (made by
 * prepareFileAtomic, at any depth) are ignored, the secrets' files are not; existing lines are
 * kept and nothing is added twice.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, expect, it } from "vitest";
import { prepareFileAtomic } from "../../src/store/atomic.js";
import { ensureGitFiles } from "../../src/store/gitfiles.js";
import { describeWithTools } from "../helpers/tools.js";

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), "sg-gitfiles-"));
});
afterEach(() => {
  rmSync(root, { recursive: true, force: true });
});

/** Whether git ignores `rel` (a path under root). */
function ignored(rel: string): boolean {
  const r = spawnSync("git", ["-C", root, "check-ignore", "-q", "--no-index", rel]);
  if (r.status !== 0 && r.status !== 1) throw new Error(`git check-ignore: ${String(r.stderr)}`);
  return r.status === 0;
}

describeWithTools(["git"], "ensureGitFiles", () => {
  it("makes git ignore the lock, the journal and stray temporary files, not the secrets", async () => {
    expect(spawnSync("git", ["init", "-q", root]).status).toBe(0);
    const secrets = join(root, "secrets");
    await ensureGitFiles(secrets);
    // A temporary file as a run stopped mid-write leaves it: staged, never renamed.
    const staged = await prepareFileAtomic(join(secrets, "data/svc/db.age"), "x");
    const tmp = readdirSync(join(secrets, "data/svc")).find((n) => n !== "db.age");
    expect(tmp).toMatch(/^\.db\.age\.secretgen-tmp-[0-9a-f]+$/);
    expect(ignored(`secrets/data/svc/${tmp ?? ""}`)).toBe(true);
    expect(ignored("secrets/.secretgen.lock")).toBe(true);
    expect(ignored("secrets/.secretgen.journal")).toBe(true);
    for (const kept of [
      "secrets/data/svc/db.age",
      "secrets/entropy/svc/db.age",
      "secrets/public/svc/wg.pub",
      "secrets/manifest.json",
      "secrets/secrets.json",
    ])
      expect(ignored(kept), kept).toBe(false);
    await staged.discard();
  });

  it("keeps what the files held and adds nothing twice", async () => {
    const secrets = join(root, "secrets");
    await ensureGitFiles(secrets);
    writeFileSync(
      join(secrets, ".gitignore"),
      `/mine\n${readFileSync(join(secrets, ".gitignore"), "utf8")}`,
    );
    await ensureGitFiles(secrets);
    expect(readFileSync(join(secrets, ".gitignore"), "utf8")).toBe(
      "/mine\n/.secretgen.lock\n/.secretgen.journal\n.*.secretgen-tmp-*\n",
    );
  });
});
