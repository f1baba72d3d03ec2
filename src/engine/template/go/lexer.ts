/**
 * The lexer's state for Go's `text/template` (text/template/parse/lex.go): the items, the input
 * with its position and line, and the small scanning steps the states in lex.ts use. Positions
 * are string indices (UTF-16 code units) of the source; `line` is 1-based.
 */

export type ItemType =
  | "error"
  | "bool"
  | "char"
  | "charConstant"
  | "complex"
  | "assign"
  | "declare"
  | "eof"
  | "field"
  | "identifier"
  | "leftDelim"
  | "leftParen"
  | "number"
  | "pipe"
  | "rawString"
  | "rightDelim"
  | "rightParen"
  | "space"
  | "string"
  | "text"
  | "variable"
  // keywords
  | "block"
  | "break"
  | "continue"
  | "dot"
  | "define"
  | "else"
  | "end"
  | "if"
  | "nil"
  | "range"
  | "template"
  | "with";

export interface Item {
  type: ItemType;
  pos: number;
  val: string;
  line: number;
}

export const KEYWORDS: Readonly<Record<string, ItemType>> = {
  ".": "dot",
  block: "block",
  break: "break",
  continue: "continue",
  define: "define",
  else: "else",
  end: "end",
  if: "if",
  range: "range",
  nil: "nil",
  template: "template",
  with: "with",
};

export const LEFT = "{{";
export const RIGHT = "}}";
export const LEFT_COMMENT = "/*";
export const RIGHT_COMMENT = "*/";
const SPACE = " \t\r\n";

export function isSpace(c: string): boolean {
  return c === " " || c === "\t" || c === "\r" || c === "\n";
}

/** Go's unicode.IsLetter or IsDigit, or `_`. */
export function isAlphaNumeric(c: string): boolean {
  return c === "_" || /^[\p{L}\p{Nd}]$/u.test(c);
}

export function hasLeftTrimMarker(s: string, at: number): boolean {
  return s.length - at >= 2 && s[at] === "-" && isSpace(s[at + 1] ?? "");
}

export function hasRightTrimMarker(s: string, at: number): boolean {
  return s.length - at >= 2 && isSpace(s[at] ?? "") && s[at + 1] === "-";
}

export function trimRightLength(s: string): number {
  let n = s.length;
  while (n > 0 && SPACE.includes(s[n - 1] ?? "x")) n--;
  return s.length - n;
}

export function trimLeftLength(s: string, from: number): number {
  let n = from;
  while (n < s.length && SPACE.includes(s[n] ?? "x")) n++;
  return n - from;
}

export const EOF = "";

export type State = ((l: Lexer) => State) | undefined;

/** Scans the whole input eagerly into items, ending with `eof` or one `error`. */
export class Lexer {
  pos = 0;
  start = 0;
  line = 1;
  startLine = 1;
  parenDepth = 0;
  atEOF = false;
  readonly items: Item[] = [];

  constructor(readonly input: string) {}

  next(): string {
    if (this.pos >= this.input.length) {
      this.atEOF = true;
      return EOF;
    }
    const cp = this.input.codePointAt(this.pos) ?? 0;
    const c = String.fromCodePoint(cp);
    this.pos += c.length;
    if (c === "\n") this.line++;
    return c;
  }

  peek(): string {
    const c = this.next();
    this.backup();
    return c;
  }

  backup(): void {
    if (!this.atEOF && this.pos > 0) {
      const low = this.input.charCodeAt(this.pos - 1);
      const pair = low >= 0xdc00 && low <= 0xdfff && this.pos > 1;
      const high = pair ? this.input.charCodeAt(this.pos - 2) : 0;
      this.pos -= pair && high >= 0xd800 && high <= 0xdbff ? 2 : 1;
      if (this.input[this.pos] === "\n") this.line--;
    }
  }

  emit(type: ItemType): void {
    this.items.push({
      type,
      pos: this.start,
      val: this.input.slice(this.start, this.pos),
      line: this.startLine,
    });
    this.start = this.pos;
    this.startLine = this.line;
  }

  ignore(): void {
    this.line += countNewlines(this.input.slice(this.start, this.pos));
    this.start = this.pos;
    this.startLine = this.line;
  }

  accept(valid: string): boolean {
    const c = this.next();
    if (c !== EOF && valid.includes(c)) return true;
    this.backup();
    return false;
  }

  acceptRun(valid: string): void {
    for (;;) {
      const c = this.next();
      if (c === EOF || !valid.includes(c)) break;
    }
    this.backup();
  }

  errorf(message: string): State {
    this.items.push({ type: "error", pos: this.start, val: message, line: this.startLine });
    return undefined;
  }

  atRightDelim(): { delim: boolean; trim: boolean } {
    if (hasRightTrimMarker(this.input, this.pos) && this.input.startsWith(RIGHT, this.pos + 2))
      return { delim: true, trim: true };
    if (this.input.startsWith(RIGHT, this.pos)) return { delim: true, trim: false };
    return { delim: false, trim: false };
  }

  atTerminator(): boolean {
    const c = this.peek();
    if (isSpace(c)) return true;
    if ([EOF, ".", ",", "|", ":", ")", "("].includes(c)) return true;
    return this.input.startsWith(RIGHT, this.pos);
  }
}

export function countNewlines(s: string): number {
  let n = 0;
  for (let i = s.indexOf("\n"); i >= 0; i = s.indexOf("\n", i + 1)) n++;
  return n;
}

/** `U+0041 'A'`, as Go's %#U writes a rune in lexer errors. */
export function runeName(c: string): string {
  const cp = c.codePointAt(0) ?? 0;
  const hex = cp.toString(16).toUpperCase().padStart(4, "0");
  return `U+${hex} '${c}'`;
}
