/**
 * Go's literal syntax as the template parser reads it (strconv.Unquote, UnquoteChar, ParseInt,
 * ParseUint and ParseFloat with base 0), and the NumberNode rules of text/template/parse.
 * Templates are text: a `\x` or octal escape above 0x7f (a lone byte, not UTF-8) is refused.
 */
import type { NumberNode } from "./nodes.js";

export class LiteralError extends Error {}

const SIMPLE: Readonly<Record<string, string>> = {
  a: "\x07",
  b: "\b",
  f: "\f",
  n: "\n",
  r: "\r",
  t: "\t",
  v: "\v",
  "\\": "\\",
};

/** One character or escape of `s` from `i`; returns the code point and the next index. */
function unquoteChar(
  s: string,
  i: number,
  quote: string,
): { cp: number; next: number; byte: boolean } {
  const c = s[i];
  if (c === undefined || c === quote) throw new LiteralError("invalid syntax");
  if (c !== "\\") {
    const cp = s.codePointAt(i) ?? 0;
    return { cp, next: i + (cp > 0xffff ? 2 : 1), byte: false };
  }
  const e = s[i + 1];
  if (e === undefined) throw new LiteralError("invalid syntax");
  const simple = Object.hasOwn(SIMPLE, e) ? SIMPLE[e] : undefined;
  if (simple !== undefined) return { cp: simple.charCodeAt(0), next: i + 2, byte: false };
  if (e === "'" || e === '"') {
    if (e !== quote) throw new LiteralError("invalid syntax");
    return { cp: e.charCodeAt(0), next: i + 2, byte: false };
  }
  const hexLen = e === "x" ? 2 : e === "u" ? 4 : e === "U" ? 8 : 0;
  if (hexLen > 0) {
    const digits = s.slice(i + 2, i + 2 + hexLen);
    if (!new RegExp(`^[0-9a-fA-F]{${hexLen}}$`).test(digits))
      throw new LiteralError("invalid syntax");
    const cp = parseInt(digits, 16);
    if (e !== "x" && (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)))
      throw new LiteralError("invalid syntax");
    return { cp, next: i + 2 + hexLen, byte: e === "x" };
  }
  if (e >= "0" && e <= "7") {
    const digits = s.slice(i + 1, i + 4);
    if (!/^[0-7]{3}$/.test(digits)) throw new LiteralError("invalid syntax");
    const cp = parseInt(digits, 8);
    if (cp > 255) throw new LiteralError("invalid syntax");
    return { cp, next: i + 4, byte: true };
  }
  throw new LiteralError("invalid syntax");
}

/** strconv.Unquote of a "…" or `…` token. */
export function unquote(token: string): string {
  if (token.startsWith("`")) {
    if (!token.endsWith("`") || token.length < 2) throw new LiteralError("invalid syntax");
    return token.slice(1, -1).replaceAll("\r", "");
  }
  if (token.length < 2 || !token.startsWith('"') || !token.endsWith('"'))
    throw new LiteralError("invalid syntax");
  const body = token.slice(1, -1);
  let out = "";
  for (let i = 0; i < body.length;) {
    if (body[i] === "\n") throw new LiteralError("invalid syntax");
    const { cp, next, byte } = unquoteChar(body, i, '"');
    if (byte && cp > 0x7f)
      throw new LiteralError("a byte escape above \\x7f is not UTF-8 text (write the character)");
    out += String.fromCodePoint(cp);
    i = next;
  }
  return out;
}

/** The code point of a character constant `'x'`. */
export function unquoteRune(token: string): number {
  const { cp, next } = unquoteChar(token, 1, "'");
  if (token.slice(next) !== "'") throw new LiteralError(`malformed character constant: ${token}`);
  return cp;
}

/** Go's underscoreOK: underscores only between digits, or after a base prefix. */
function underscoreOK(s: string): boolean {
  let saw = "^";
  let i = 0;
  if (s.length >= 1 && (s[0] === "-" || s[0] === "+")) s = s.slice(1);
  let hex = false;
  if (s.length >= 2 && s[0] === "0" && /[bBoOxX]/.test(s[1] ?? "")) {
    i = 2;
    saw = "0";
    hex = s[1] === "x" || s[1] === "X";
  }
  for (; i < s.length; i++) {
    const c = s[i] ?? "";
    if ((c >= "0" && c <= "9") || (hex && /[a-fA-F]/.test(c))) {
      saw = "0";
      continue;
    }
    if (c === "_") {
      if (saw !== "0") return false;
      saw = "_";
      continue;
    }
    if (saw === "_") return false;
    saw = "!";
  }
  return saw !== "_";
}

const INT64_MIN = -(1n << 63n);
const INT64_MAX = (1n << 63n) - 1n;
const UINT64_MAX = (1n << 64n) - 1n;

/** strconv.ParseInt/ParseUint with base 0, as a bigint; undefined when not an integer. */
function parseInteger(text: string): bigint | undefined {
  let s = text;
  let negative = false;
  if (s.startsWith("+") || s.startsWith("-")) {
    negative = s.startsWith("-");
    s = s.slice(1);
  }
  let base = 10;
  let digits = s;
  let prefixed = false;
  if (/^0[xX]/.test(s)) [base, digits, prefixed] = [16, s.slice(2), true];
  else if (/^0[bB]/.test(s)) [base, digits, prefixed] = [2, s.slice(2), true];
  else if (/^0[oO]/.test(s)) [base, digits, prefixed] = [8, s.slice(2), true];
  else if (s.length > 1 && s.startsWith("0")) [base, digits, prefixed] = [8, s.slice(1), true];
  if (s.includes("_") && !underscoreOK(text)) return undefined;
  digits = digits.replaceAll("_", "");
  if (digits === "" && !(prefixed && base === 8 && s === "0")) {
    if (!(s === "0")) return undefined;
  }
  if (digits === "") return 0n;
  const valid = { 2: /^[01]+$/, 8: /^[0-7]+$/, 10: /^[0-9]+$/, 16: /^[0-9a-fA-F]+$/ }[base];
  if (valid === undefined || !valid.test(digits)) return undefined;
  let v = 0n;
  for (const d of digits) v = v * BigInt(base) + BigInt(parseInt(d, 16));
  return negative ? -v : v;
}

/** strconv.ParseFloat(text, 64) for what the lexer produces; undefined when not a float. */
function parseFloat64(text: string): number | undefined {
  if (text.includes("_") && !underscoreOK(text)) return undefined;
  const s = text.replaceAll("_", "");
  const hex = /^([+-]?)0[xX]([0-9a-fA-F]*)(?:\.([0-9a-fA-F]*))?[pP]([+-]?[0-9]+)$/.exec(s);
  if (hex) {
    const [, sign, int = "", frac = "", exp = "0"] = hex;
    if (int === "" && frac === "") return undefined;
    const mantissa = BigInt("0x" + (int + frac || "0"));
    const e = Number(exp) - 4 * frac.length;
    const v = Number(mantissa) * 2 ** e;
    return sign === "-" ? -v : v;
  }
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(s)) return undefined;
  const v = Number(s);
  return Number.isFinite(v) ? v : undefined;
}

/** NumberNode's fields from a number token (parse/node.go newNumber; no complex numbers). */
export function parseNumber(
  pos: number,
  text: string,
  type: "number" | "charConstant",
): NumberNode {
  const n: NumberNode = {
    type: "number",
    pos,
    text,
    isInt: false,
    isUint: false,
    isFloat: false,
    int: 0n,
    uint: 0n,
    float: 0,
  };
  if (type === "charConstant") {
    const cp = BigInt(unquoteRune(text));
    return { ...n, isInt: true, isUint: true, isFloat: true, int: cp, uint: cp, float: Number(cp) };
  }
  if (text.endsWith("i")) throw new LiteralError("complex numbers are not supported");
  const v = parseInteger(text);
  if (v !== undefined && v >= 0n && v <= UINT64_MAX) {
    n.isUint = true;
    n.uint = v;
  }
  if (v !== undefined && v >= INT64_MIN && v <= INT64_MAX) {
    n.isInt = true;
    n.int = v;
    if (v === 0n) {
      n.isUint = true;
      n.uint = 0n;
    }
  }
  if (n.isInt) {
    n.isFloat = true;
    n.float = Number(n.int);
  } else if (n.isUint) {
    n.isFloat = true;
    n.float = Number(n.uint);
  } else {
    const f = parseFloat64(text);
    if (f !== undefined) {
      if (!/[.eEpP]/.test(text)) throw new LiteralError(`integer overflow: "${text}"`);
      n.isFloat = true;
      n.float = f;
      if (Number.isInteger(f) && f >= -(2 ** 63) && f < 2 ** 63) {
        n.isInt = true;
        n.int = BigInt(f);
      }
      if (Number.isInteger(f) && f >= 0 && f < 2 ** 64) {
        n.isUint = true;
        n.uint = BigInt(f);
      }
    }
  }
  if (!n.isInt && !n.isUint && !n.isFloat)
    throw new LiteralError(`illegal number syntax: "${text}"`);
  return n;
}
