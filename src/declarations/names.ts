/**
 * Secret names are paths: segments of [A-Za-z0-9._+-], not starting with ".", joined by "/".
 * They become file paths (data/NAME.age), so anything that could escape secrets/ or collide on a
 * case-insensitive file system is rejected before any file is touched.
 */
const SEGMENT = /^[A-Za-z0-9_+-][A-Za-z0-9._+-]*$/;
/** A whole valid name (short enough aside): SEGMENTs joined by "/". */
const VALID_NAME = /^[A-Za-z0-9_+-][A-Za-z0-9._+-]*(?:\/[A-Za-z0-9_+-][A-Za-z0-9._+-]*)*$/;
const MAX_NAME = 200;

/** Why `name` is not a valid secret name, or undefined when it is. */
export function nameProblem(name: string): string | undefined {
  if (name.length <= MAX_NAME && VALID_NAME.test(name)) return undefined;
  if (name.length === 0) return "is empty";
  if (name.length > MAX_NAME) return `is longer than ${MAX_NAME} characters`;
  if (name.startsWith("/")) return "is an absolute path";
  for (const segment of name.split("/")) {
    if (segment === "") return "has an empty path segment";
    if (segment === "." || segment === "..") return `has a "${segment}" path segment`;
    if (segment.startsWith(".")) return 'has a path segment starting with "."';
    if (!SEGMENT.test(segment)) return "may only contain A-Z a-z 0-9 . _ + - and /";
  }
  return undefined;
}

/**
 * Pairs of names that would collide on disk: equal after case folding (macOS laptops), or one
 * name's public directory (public/NAME.d/) holding another name's files (NAME.d/x).
 */
export function nameCollisions(names: Iterable<string>): [string, string][] {
  const sorted = sortedNames(names);
  const folded = new Map<string, string>();
  const out: [string, string][] = [];
  for (const name of sorted) {
    const key = name.toLowerCase();
    const other = folded.get(key);
    if (other !== undefined) out.push([other, name]);
    else folded.set(key, name);
  }
  for (const name of sorted) {
    // Every directory prefix "X.d" of the name: is X a secret (whose public dir it would be)?
    const lower = name.toLowerCase();
    for (let i = lower.indexOf(".d/"); i >= 0; i = lower.indexOf(".d/", i + 1)) {
      const owner = folded.get(lower.slice(0, i));
      if (owner !== undefined) out.push([owner, name]);
    }
  }
  return out;
}

/** Code-point order: the one order used everywhere names are sorted. */
export function compareNames(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** `names` in code-point order, as a new array; a list already in order is not sorted again. */
export function sortedNames(names: Iterable<string>): string[] {
  const list = [...names];
  return inOrder(list) ? list : list.sort(compareNames);
}

function inOrder(list: readonly string[]): boolean {
  let previous: string | undefined;
  for (const name of list) {
    if (previous !== undefined && previous > name) return false;
    previous = name;
  }
  return true;
}
