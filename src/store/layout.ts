/**
 * Where things are in a repository that uses secretgen: finding the root, the path of every file
 * of a secret, template paths confined to templates/, and the secret names found on disk.
 *
 *   secrets/data/NAME.age  secrets/entropy/NAME.age  secrets/public/NAME.pub  secrets/public/NAME.d/
 *   secrets/manifest.json  secrets/.secretgen.lock    templates/
 */
import { lstatSync, readdirSync, readlinkSync, realpathSync, statSync, type Dirent } from "node:fs";
import { basename, dirname, isAbsolute, join, resolve, sep } from "node:path";
import { sortedNames } from "../declarations/index.js";
import { quote, runtimeError, usageError } from "../errors.js";
import { errnoCode, ioReason, isStrictlyInside } from "./atomic.js";
import { LOCK_FILE_NAME } from "./lock.js";

/**
 * The repository root: `explicit` (resolved against `startDir`) when given, which must
 * be an existing directory; otherwise the first of `startDir` and its parents that holds a
 * `secrets/` directory. Throws a usage SecretgenError (exit 2) when there is none.
 */
export function findRoot(startDir: string, explicit?: string): string {
  if (explicit !== undefined) {
    const root = resolve(startDir, explicit);
    if (!isDirectory(root)) {
      const problem = pathExists(root) ? "is not a directory" : "does not exist";
      throw usageError(`the root directory ${quote(explicit)} ${problem}`, { reason: "no-root" });
    }
    return root;
  }
  const start = resolve(startDir);
  for (let dir = start; ; dir = dirname(dir)) {
    if (isDirectory(join(dir, "secrets"))) return dir;
    if (dirname(dir) === dir) break;
  }
  throw usageError(`no secrets/ directory in ${quote(start)} or any directory above it`, {
    reason: "no-root",
    hint: "run in your repository; `secretgen init` starts a tree here",
  });
}

/** Secret names that have files on disk, each list sorted by code point. */
export interface StoredNames {
  /** From secrets/data/NAME.age. */
  data: string[];
  /** From secrets/entropy/NAME.age. */
  entropy: string[];
  /** From secrets/public/NAME.pub and secrets/public/NAME.d/. */
  public: string[];
}

/**
 * The files of a repository rooted at `root`. Path methods take secret names (validated by
 * declarations/names.ts) and still refuse, with a usage SecretgenError, any name that would
 * leave its directory.
 */
export class Layout {
  readonly root: string;
  readonly secretsDir: string;
  readonly dataDir: string;
  readonly entropyDir: string;
  readonly publicRoot: string;
  readonly manifestFile: string;
  readonly lockFile: string;
  readonly templatesDir: string;

  constructor(root: string) {
    this.root = resolve(root);
    this.secretsDir = join(this.root, "secrets");
    this.dataDir = join(this.secretsDir, "data");
    this.entropyDir = join(this.secretsDir, "entropy");
    this.publicRoot = join(this.secretsDir, "public");
    this.manifestFile = join(this.secretsDir, "manifest.json");
    this.lockFile = join(this.secretsDir, LOCK_FILE_NAME);
    this.templatesDir = join(this.root, "templates");
  }

  /** secrets/data/NAME.age: the agenix secret. */
  dataFile(name: string): string {
    return nameInside(this.dataDir, name, ".age");
  }

  /** secrets/entropy/NAME.age: the secret's record. */
  entropyFile(name: string): string {
    return nameInside(this.entropyDir, name, ".age");
  }

  /** secrets/public/NAME.pub: the public half of a keypair. */
  publicFile(name: string): string {
    return nameInside(this.publicRoot, name, ".pub");
  }

  /** secrets/public/NAME.d: the public files of a script secret. */
  publicDir(name: string): string {
    return nameInside(this.publicRoot, name, ".d");
  }

  /**
   * The path of template `rel`, inside templates/. Throws a usage SecretgenError quoting `rel`
   * when it is absolute, climbs out with `..`, or resolves through a symbolic link to a place
   * outside templates/. The file itself need not exist.
   */
  templateFile(rel: string): string {
    const fail = (problem: string) =>
      usageError(`template file ${quote(rel)} ${problem}`, {
        hint: "template paths are relative to templates/ at the repository root",
      });
    if (rel === "" || rel.includes("\0")) throw fail("is not a valid path");
    if (isAbsolute(rel)) throw fail("is an absolute path");
    const path = resolve(this.templatesDir, rel);
    if (!isStrictlyInside(path, this.templatesDir)) throw fail("is outside templates/");
    if (!isStrictlyInside(realpathExisting(path), realpathExisting(this.templatesDir))) {
      throw fail("leads outside templates/ through a symbolic link");
    }
    return path;
  }

  /** The secret names that have an entropy file, in the order found (cheaper than listStored). */
  entropyNames(): string[] {
    const out: string[] = [];
    walkNames(this.entropyDir, "", (rel, e) => {
      if (e.isFile() && rel.endsWith(".age")) out.push(rel.slice(0, -4));
      return false;
    });
    return out;
  }

  /** The secret names that have files on disk (to find orphans), sorted by code point. */
  listStored(): StoredNames {
    const data = new Set<string>();
    const entropy = new Set(this.entropyNames());
    const pub = new Set<string>();
    walkNames(this.dataDir, "", (rel, e) => {
      if (e.isFile() && rel.endsWith(".age")) data.add(rel.slice(0, -4));
      return false;
    });
    // public/X.d/ is the public directory of secret X, unless data/X.d/ or entropy/X.d/ is a
    // directory: then X.d is a segment of longer names (`conf.d/web`) and is walked instead.
    walkNames(this.publicRoot, "", (rel, e) => {
      if (e.isFile() && rel.endsWith(".pub")) pub.add(rel.slice(0, -4));
      if (!e.isDirectory() || !rel.endsWith(".d")) return false;
      if (isDirectory(join(this.dataDir, rel)) || isDirectory(join(this.entropyDir, rel))) {
        return false;
      }
      pub.add(rel.slice(0, -2));
      return true;
    });
    return { data: sortedNames(data), entropy: sortedNames(entropy), public: sortedNames(pub) };
  }
}

/**
 * `base/NAME+suffix`, refusing a name that is not a plain relative path inside `base`. `base` is
 * an absolute, normalised directory, so joining a name of plain segments stays inside it.
 */
function nameInside(base: string, name: string, suffix: string): string {
  if (!isPlainRelative(name)) {
    throw usageError(`secret name ${quote(name)} would lead outside ${base}`, { secret: name });
  }
  return base + sep + (sep === "/" ? name : name.split("/").join(sep)) + suffix;
}

/**
 * Characters that make a name more than plain segments: NUL, and on Windows the other
 * separator and the drive colon (elsewhere both are ordinary file name characters).
 */
const UNSAFE_CHAR = sep === "/" ? /\0/ : /[\0\\:]/;

/** An empty, `.` or `..` segment of a `/`-separated path. */
const SPECIAL_SEGMENT = /(?:^|\/)\.{0,2}(?:\/|$)/;

/** A `/`-separated relative path: not absolute, and no segment empty, `.` or `..`. */
function isPlainRelative(name: string): boolean {
  return !UNSAFE_CHAR.test(name) && !isAbsolute(name) && !SPECIAL_SEGMENT.test(name);
}

/**
 * Walk `dir` (recursively, not following symbolic links, skipping dot entries, which are never
 * part of a name), calling `visit` with each entry's `/`-separated path relative to the walk's
 * start. A directory is descended into unless `visit` returns true. A missing `dir` is empty.
 */
function walkNames(dir: string, prefix: string, visit: (rel: string, e: Dirent) => boolean): void {
  let entries: Dirent[];
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch (err) {
    if (errnoCode(err) === "ENOENT" || errnoCode(err) === "ENOTDIR") return;
    throw runtimeError(`cannot read directory ${dir}: ${ioReason(err)}`, {
      reason: "io",
      cause: err,
    });
  }
  for (const e of entries) {
    if (e.name.startsWith(".")) continue;
    const rel = prefix + e.name;
    const stop = visit(rel, e);
    if (e.isDirectory() && !stop) walkNames(join(dir, e.name), rel + "/", visit);
  }
}

/**
 * The real path of `path` with symbolic links resolved, also when it (or a link target) does not
 * exist yet: the longest existing prefix is resolved and the rest appended.
 */
function realpathExisting(path: string, depth = 0): string {
  try {
    return realpathSync(path);
  } catch (err) {
    const code = errnoCode(err);
    if ((code !== "ENOENT" && code !== "ENOTDIR") || depth > 40) return path;
  }
  const link = readLinkOrUndefined(path);
  if (link !== undefined) return realpathExisting(resolve(dirname(path), link), depth + 1);
  const parent = dirname(path);
  if (parent === path) return path;
  return join(realpathExisting(parent, depth + 1), basename(path));
}

function readLinkOrUndefined(path: string): string | undefined {
  try {
    return lstatSync(path).isSymbolicLink() ? readlinkSync(path) : undefined;
  } catch {
    return undefined;
  }
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

function pathExists(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}
