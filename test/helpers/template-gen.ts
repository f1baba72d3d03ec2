/**
 * Random handlebars templates for the differential tests of the template walker and the fast
 * parser: paths of every kind, literals, calls of our functions with positional and named
 * arguments, blocks with block parameters and else chains, comments, whitespace control.
 */
export function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const PATHS = [
  "a",
  "n",
  "one",
  "t",
  "f",
  "z",
  "s",
  "list",
  "empty",
  "objs",
  "o",
  "nums",
  "nested",
  "o.b",
  "o.Zed",
  "o.alpha.deep",
  "o.alpha",
  "o.[1]",
  "o.missing",
  "missing",
  "missing.x",
  "a.length",
  "a.x",
  "n.x",
  "z.x",
  "t.x",
  "s.x",
  "list.length",
  "list.[0]",
  "list.map",
  "this",
  "this.a",
  "./a",
  ".",
  "../a",
  "../this",
  "../../a",
  "name",
  "v",
  "this.name",
  "@index",
  "@key",
  "@first",
  "@last",
  "@root",
  "@root.a",
  "@root.o.b",
  "@../index",
  "@../key",
  "@root.missing",
  "@missing",
  "@_parent",
  "@constructor",
  "x",
  "i",
  "y",
  "x.name",
  "y.b",
  "k",
  "constructor",
  "__proto__",
  "toString",
  "hasOwnProperty",
  "[a]",
  "[o].b",
  "[if]",
  "random",
  "secret",
  "concat",
  "@if",
  "@each",
  "@with",
  "@unless",
  "@helperMissing",
  "helperMissing",
  "blockHelperMissing",
  "@random",
  "log",
  "lookup",
];
export const LITERALS = [
  '"p"',
  "'q'",
  '"x"',
  '"later"',
  '"nope"',
  "1",
  "0",
  "-1",
  "2.5",
  "4",
  "true",
  "false",
  "null",
  "undefined",
  '"%s-%s"',
  '"a b"',
  '"y"',
];
const CHARSETS = ['"hex"', '"digits"', '"alnum"', '"nope"', "1"];

export function pick<T>(r: () => number, xs: readonly T[]): T {
  return xs[Math.floor(r() * xs.length)] as T;
}

export function arg(r: () => number, depth: number): string {
  const roll = r();
  if (roll < 0.4) return pick(r, PATHS);
  if (roll < 0.75 || depth > 2) return pick(r, LITERALS);
  return `(${call(r, depth + 1)})`;
}

export function call(r: () => number, depth: number): string {
  const n = Math.floor(r() * 3);
  const args = () => Array.from({ length: n }, () => arg(r, depth)).join(" ");
  switch (Math.floor(r() * 11)) {
    case 0:
      return `random ${pick(r, ["2", "3", "0", "x", "1"])}${r() < 0.5 ? ` charset=${pick(r, CHARSETS)}` : ""}`;
    case 1:
      return `concat ${arg(r, depth)} ${args()}`;
    case 2:
      return `secret ${arg(r, depth)}`;
    case 3:
      return `readSecret ${pick(r, ['"p"', '"later"', "a", "x", "@key"])}`;
    case 4:
      return `json ${arg(r, depth)}`;
    case 5:
      return `fmt "%s/%s" ${arg(r, depth)} ${arg(r, depth)}`;
    case 6:
      return `sha256 ${arg(r, depth)}`;
    case 7:
      return `trim ${arg(r, depth)}`;
    case 8:
      return `base64 ${arg(r, depth)}`;
    case 9: {
      // Named arguments: duplicates, numeric keys, undefined values, evaluated right to left.
      const keys = ["charset", "charset", "b", "1", "a"];
      const hash = Array.from(
        { length: 1 + Math.floor(r() * 3) },
        () =>
          `${pick(r, keys)}=${r() < 0.3 ? "undefined" : `(random 1 charset=${pick(r, CHARSETS)})`}`,
      ).join(" ");
      return `random ${pick(r, ["1", "2"])} ${hash}`;
    }
    default:
      return `bcrypt (secret ${pick(r, ['"p"', '"q"', "a"])}) ${pick(r, ["4", "3", "a"])}`;
  }
}

export function mustache(r: () => number, depth: number): string {
  const inner = r() < 0.45 ? pick(r, [...PATHS, ...LITERALS]) : call(r, depth);
  const open = pick(r, ["{{", "{{", "{{~", "{{{", "{{&"]);
  if (open === "{{{") return `{{{${inner}}}}`;
  return `${open}${open === "{{&" ? " " : ""}${inner}${pick(r, ["}}", "}}", "~}}"])}`;
}

export function block(r: () => number, depth: number): string {
  const name = pick(r, ["if", "unless", "with", "each", "each", "if"]);
  const param = r() < 0.7 ? pick(r, PATHS) : r() < 0.5 ? pick(r, LITERALS) : `(${call(r, depth)})`;
  const params =
    name === "each"
      ? pick(r, ["", " as |x|", " as |x i|", " as |y k|"])
      : name === "with"
        ? pick(r, ["", " as |y|", " as |x|"])
        : pick(r, ["", "", " as |x|"]);
  const body = body_(r, depth + 1);
  const otherwise =
    r() < 0.3
      ? `{{else}}${body_(r, depth + 1)}`
      : r() < 0.15
        ? `{{else if ${pick(r, PATHS)}}}${body_(r, depth + 1)}`
        : "";
  const nl = r() < 0.3 ? "\n" : "";
  return `{{#${name} ${param}${params}}}${nl}${body}${otherwise}{{/${name}}}${nl}`;
}

export function body_(r: () => number, depth: number): string {
  const n = 1 + Math.floor(r() * (depth > 2 ? 2 : 4));
  let out = "";
  for (let i = 0; i < n; i++) {
    const roll = r();
    if (roll < 0.3) out += pick(r, ["text", " ", "\n", "  \n", "-", ":", "{", "}", "a\tb"]);
    else if (roll < 0.75 || depth > 3) out += mustache(r, depth);
    else if (roll < 0.8) out += "{{! a comment }}";
    else out += block(r, depth);
  }
  return out;
}
