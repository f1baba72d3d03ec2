/**
 * Public files on disk (keypair NAME.pub, script NAME.d/…) and their hashes, as the manifest
 * records them.
 */
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join, relative } from "node:path";
import type { Layout } from "./layout.js";
import { sha256Hex } from "./manifest.js";

/** Public files of a script secret on disk: relative path → SHA-256. */
export function publicDirHashes(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    if (!existsSync(d)) return;
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile()) out[relative(dir, p).split("\\").join("/")] = sha256Hex(readFileSync(p));
    }
  };
  walk(dir);
  return out;
}

/** Public file hashes of a secret as on disk (keypair .pub and script NAME.d/ files). */
export function publicHashes(layout: Layout, name: string): Record<string, string> {
  const out: Record<string, string> = {};
  const pub = layout.publicFile(name);
  if (existsSync(pub)) out[`${name}.pub`] = sha256Hex(readFileSync(pub));
  for (const [rel, h] of Object.entries(publicDirHashes(layout.publicDir(name))))
    out[`${name}.d/${rel}`] = h;
  return out;
}
