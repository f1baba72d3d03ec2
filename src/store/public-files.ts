/**
 * Public files on disk (keypair NAME.pub, script NAME.d/…) and their hashes, as the manifest
 * records them.
 */
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { errnoCode } from "./atomic.js";
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

/**
 * `publicHashes` for many secrets (`check --offline`), with the same results: each directory
 * under secrets/public/ is listed at most once, and a secret whose NAME.pub and NAME.d are not in
 * its directory's listing costs no further file system call. Anything the listings cannot answer
 * for certain is looked up as `publicHashes` does.
 */
export function publicHasher(layout: Layout): (name: string) => Record<string, string> {
  // Windows file names have more equivalent spellings (trailing dots, short names).
  if (sep !== "/") return (name) => publicHashes(layout, name);
  const listings = new Map<string, Listing>();
  /** The entry names of `dir` (secrets/public/ or a directory below it), listed once. */
  const listing = (dir: string): Listing => {
    let entries = listings.get(dir);
    if (entries === undefined && !listings.has(dir)) {
      entries = listDir(dir, layout.publicRoot, listing);
      listings.set(dir, entries);
    }
    return entries;
  };
  return (name) => {
    if (!PLAIN_NAME.test(name)) return publicHashes(layout, name);
    const pub = layout.publicFile(name);
    const slash = pub.lastIndexOf(sep);
    const entries = listing(pub.slice(0, slash));
    const base = pub.slice(slash + 1, -".pub".length).toLowerCase();
    if (entries === null) return {};
    if (entries?.has(`${base}.pub`) === false && !entries.has(`${base}.d`)) return {};
    return publicHashes(layout, name);
  };
}

/**
 * A directory's entry names in lower case; null when the directory does not exist; undefined
 * when its listing cannot tell which names exist.
 */
type Listing = Set<string> | null | undefined;

/** Entry names in printable ASCII, which every file system compares at most ignoring case. */
const PLAIN_NAME = /^[\x20-\x7e]*$/;

/**
 * The entries of `dir`, which is `root` or a directory below it. A directory missing from its
 * parent's listing does not exist and is not read. Names are compared ignoring case (a
 * case-insensitive file system finds a file under any spelling), and a directory that cannot be
 * read, or holds a name outside printable ASCII (which a file system may fold or normalise in
 * other ways), gives no answer.
 */
function listDir(dir: string, root: string, listing: (dir: string) => Listing): Listing {
  if (dir !== root) {
    const slash = dir.lastIndexOf(sep);
    const parent = listing(dir.slice(0, slash));
    if (parent === null || parent?.has(dir.slice(slash + 1).toLowerCase()) === false) return null;
  }
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (err) {
    const code = errnoCode(err);
    return code === "ENOENT" || code === "ENOTDIR" ? null : undefined;
  }
  if (!names.every((n) => PLAIN_NAME.test(n))) return undefined;
  return new Set(names.map((n) => n.toLowerCase()));
}
