/** `secretgen prune [--dry-run]`: delete files and manifest entries of undeclared secrets. */
import type { Warning } from "../../errors.js";
import { existsSync, readdirSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { writeManifest } from "../../engine/write/index.js";
import { orphanNames } from "../../engine/plan/index.js";
import { loadManifestWithJournal } from "../../store/journal.js";
import { removeEmptyParents, removeFileAtomic } from "../../store/atomic.js";
import type { Layout } from "../../store/layout.js";
import type { Session } from "../session.js";
import { withWriteLock } from "./with-lock.js";

function filesOf(layout: Layout, name: string): string[] {
  const files = [layout.dataFile(name), layout.entropyFile(name), layout.publicFile(name)].filter(
    (f) => existsSync(f),
  );
  const walk = (d: string): string[] =>
    existsSync(d)
      ? readdirSync(d, { withFileTypes: true }).flatMap((e) =>
          e.isDirectory() ? walk(join(d, e.name)) : [join(d, e.name)],
        )
      : [];
  return [...files, ...walk(layout.publicDir(name))];
}

export default async function prune(session: Session, opts: { dryRun?: boolean }) {
  const decls = await session.declarations();
  const go = async (layout: Layout) => {
    const warnings: Warning[] = [];
    const manifest = loadManifestWithJournal(layout, warnings);
    const names = orphanNames(decls, manifest, layout);
    for (const name of names) {
      session.output.out(`${opts.dryRun ? "would prune" : "pruned"} ${name}`);
      if (opts.dryRun) continue;
      for (const file of filesOf(layout, name)) {
        await removeFileAtomic(file);
        await removeEmptyParents(dirname(file), layout.secretsDir);
      }
      if (existsSync(layout.publicDir(name)))
        rmSync(layout.publicDir(name), { recursive: true, force: true });
      manifest.secrets.delete(name);
    }
    if (!opts.dryRun && names.length > 0) await writeManifest(layout, manifest);
    session.output.out(
      names.length === 0
        ? "nothing to prune"
        : `${opts.dryRun ? "would prune" : "pruned"} ${names.length}`,
    );
    return 0;
  };
  return opts.dryRun ? go(session.layout) : withWriteLock(session, go);
}
