/**
 * The lexer of Go's `text/template` (Go 1.19, text/template/parse/lex.go), rule for rule: text
 * and actions between `{{` and `}}`, `{{- ` and ` -}}` trimming the whitespace next to them,
 * comments `{{/* … *\/}}`, and the tokens inside an action. Positions are string indices (UTF-16
 * code units) of the source; `line` is 1-based.
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

const KEYWORDS: Readonly<Record<string, ItemType>> = {
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

const LEFT = "{{";
const RIGHT = "}}";
const LEFT_COMMENT = "/*";
const RIGHT_COMMENT = "*/";
const SPACE = " \t\r\n";

export function isSpace(c: string): boolean {
  return c === " " || c === "\t" || c === "\r" || c === "\n";
}

/** Go's unicode.IsLetter or IsDigit, or `_`. */
export function isAlphaNumeric(c: string): boolean {
  return c === "_" || /^[\p{L}\p{Nd}]$/u.test(c);
}

function hasLeftTrimMarker(s: string, at: number): boolean {
  return s.length - at >= 2 && s[at] === "-" && isSpace(s[at + 1] ?? "");
}

function hasRightTrimMarker(s: string, at: number): boolean {
  return s.length - at >= 2 && isSpace(s[at] ?? "") && s[at + 1] === "-";
}

function trimRightLength(s: string): number {
  let n = s.length;
  while (n > 0 && SPACE.includes(s[n - 1] ?? "x")) n--;
  return s.length - n;
}

function trimLeftLength(s: string, from: number): number {
  let n = from;
  while (n < s.length && SPACE.includes(s[n] ?? "x")) n++;
  return n - from;
}

const EOF = "";

type State = ((l: Lexer) => State) | undefined;

/** Scans the whole input eagerly into items, ending with `eof` or one `error`. */
export class Lexer {
  pos = 0;
  start = 0;
  line = 1;
  startLine = 1;
  parenDepth = 0;
  atEOF = false;
  readonly items: Item[] = [];

  constructor(readonly input: string) {
    let state: State = lexText;
    while (state !== undefined) state = state(this);
  }

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

function countNewlines(s: string): number {
  let n = 0;
  for (let i = s.indexOf("\n"); i >= 0; i = s.indexOf("\n", i + 1)) n++;
  return n;
}

/** `U+0041 'A'`, as Go's %#U writes a rune in lexer errors. */
function runeName(c: string): string {
  const cp = c.codePointAt(0) ?? 0;
  const hex = cp.toString(16).toUpperCase().padStart(4, "0");
  return `U+${hex} '${c}'`;
}

function lexText(l: Lexer): State {
  const x = l.input.indexOf(LEFT, l.pos);
  if (x >= 0) {
    l.pos = x;
    let trim = 0;
    if (hasLeftTrimMarker(l.input, l.pos + LEFT.length))
      trim = trimRightLength(l.input.slice(l.start, l.pos));
    l.pos -= trim;
    if (l.pos > l.start) {
      l.line += countNewlines(l.input.slice(l.start, l.pos));
      l.emit("text");
    }
    l.pos += trim;
    l.ignore();
    return lexLeftDelim;
  }
  l.pos = l.input.length;
  if (l.pos > l.start) {
    l.line += countNewlines(l.input.slice(l.start, l.pos));
    l.emit("text");
  }
  l.emit("eof");
  return undefined;
}

function lexLeftDelim(l: Lexer): State {
  l.pos += LEFT.length;
  const trim = hasLeftTrimMarker(l.input, l.pos);
  const after = trim ? 2 : 0;
  if (l.input.startsWith(LEFT_COMMENT, l.pos + after)) {
    l.pos += after;
    l.ignore();
    return lexComment;
  }
  l.emit("leftDelim");
  l.pos += after;
  l.ignore();
  l.parenDepth = 0;
  return lexInsideAction;
}

function lexComment(l: Lexer): State {
  l.pos += LEFT_COMMENT.length;
  const i = l.input.indexOf(RIGHT_COMMENT, l.pos);
  if (i < 0) return l.errorf("unclosed comment");
  l.pos = i + RIGHT_COMMENT.length;
  const { delim, trim } = l.atRightDelim();
  if (!delim) return l.errorf("comment ends before closing delimiter");
  if (trim) l.pos += 2;
  l.pos += RIGHT.length;
  if (trim) l.pos += trimLeftLength(l.input, l.pos);
  l.ignore();
  return lexText;
}

function lexRightDelim(l: Lexer): State {
  const trim = hasRightTrimMarker(l.input, l.pos);
  if (trim) {
    l.pos += 2;
    l.ignore();
  }
  l.pos += RIGHT.length;
  l.emit("rightDelim");
  if (trim) {
    l.pos += trimLeftLength(l.input, l.pos);
    l.ignore();
  }
  return lexText;
}

function lexInsideAction(l: Lexer): State {
  if (l.atRightDelim().delim) {
    if (l.parenDepth === 0) return lexRightDelim;
    return l.errorf("unclosed left paren");
  }
  const r = l.next();
  if (r === EOF) return l.errorf("unclosed action");
  if (isSpace(r)) {
    l.backup();
    return lexSpace;
  }
  switch (r) {
    case "=":
      l.emit("assign");
      return lexInsideAction;
    case ":":
      if (l.next() !== "=") return l.errorf("expected :=");
      l.emit("declare");
      return lexInsideAction;
    case "|":
      l.emit("pipe");
      return lexInsideAction;
    case '"':
      return lexQuote;
    case "`":
      return lexRawQuote;
    case "$":
      return lexVariable;
    case "'":
      return lexChar;
    case "(":
      l.emit("leftParen");
      l.parenDepth++;
      return lexInsideAction;
    case ")":
      l.emit("rightParen");
      l.parenDepth--;
      if (l.parenDepth < 0) return l.errorf(`unexpected right paren ${runeName(r)}`);
      return lexInsideAction;
  }
  if (r === ".") {
    const c = l.input[l.pos];
    if (l.pos < l.input.length && c !== undefined && (c < "0" || c > "9")) return lexField;
  }
  if (r === "." || r === "+" || r === "-" || (r >= "0" && r <= "9")) {
    l.backup();
    return lexNumber;
  }
  if (isAlphaNumeric(r)) {
    l.backup();
    return lexIdentifier;
  }
  const cp = r.codePointAt(0) ?? 0;
  if (cp >= 0x20 && cp < 0x7f) {
    l.emit("char");
    return lexInsideAction;
  }
  return l.errorf(`unrecognized character in action: ${runeName(r)}`);
}

function lexSpace(l: Lexer): State {
  let spaces = 0;
  while (isSpace(l.peek())) {
    l.next();
    spaces++;
  }
  if (hasRightTrimMarker(l.input, l.pos - 1) && l.input.startsWith(RIGHT, l.pos + 1)) {
    l.backup();
    if (spaces === 1) return lexRightDelim;
  }
  l.emit("space");
  return lexInsideAction;
}

function lexIdentifier(l: Lexer): State {
  for (;;) {
    const r = l.next();
    if (r !== EOF && isAlphaNumeric(r)) continue;
    l.backup();
    const word = l.input.slice(l.start, l.pos);
    if (!l.atTerminator()) return l.errorf(`bad character ${runeName(r === EOF ? "\u0000" : r)}`);
    const keyword = Object.hasOwn(KEYWORDS, word) ? KEYWORDS[word] : undefined;
    if (keyword !== undefined) l.emit(keyword);
    else if (word.startsWith(".")) l.emit("field");
    else if (word === "true" || word === "false") l.emit("bool");
    else l.emit("identifier");
    return lexInsideAction;
  }
}

function lexVariable(l: Lexer): State {
  if (l.atTerminator()) {
    l.emit("variable");
    return lexInsideAction;
  }
  return lexFieldOrVariable(l, "variable");
}

function lexField(l: Lexer): State {
  return lexFieldOrVariable(l, "field");
}

function lexFieldOrVariable(l: Lexer, type: "field" | "variable"): State {
  if (l.atTerminator()) {
    l.emit(type === "variable" ? "variable" : "dot");
    return lexInsideAction;
  }
  let r: string;
  for (;;) {
    r = l.next();
    if (r === EOF || !isAlphaNumeric(r)) {
      l.backup();
      break;
    }
  }
  if (!l.atTerminator()) return l.errorf(`bad character ${runeName(r === EOF ? "\u0000" : r)}`);
  l.emit(type);
  return lexInsideAction;
}

function lexQuoted(l: Lexer, close: string, type: ItemType, what: string): State {
  for (;;) {
    const c = l.next();
    if (c === "\\") {
      const e = l.next();
      if (e !== EOF && e !== "\n") continue;
      return l.errorf(`unterminated ${what}`);
    }
    if (c === EOF || c === "\n") return l.errorf(`unterminated ${what}`);
    if (c === close) break;
  }
  l.emit(type);
  return lexInsideAction;
}

function lexChar(l: Lexer): State {
  return lexQuoted(l, "'", "charConstant", "character constant");
}

function lexQuote(l: Lexer): State {
  return lexQuoted(l, '"', "string", "quoted string");
}

function lexRawQuote(l: Lexer): State {
  for (;;) {
    const c = l.next();
    if (c === EOF) return l.errorf("unterminated raw quoted string");
    if (c === "`") break;
  }
  l.emit("rawString");
  return lexInsideAction;
}

function lexNumber(l: Lexer): State {
  if (!scanNumber(l)) return l.errorf(`bad number syntax: ${l.input.slice(l.start, l.pos)}`);
  const sign = l.peek();
  if (sign === "+" || sign === "-") {
    if (!scanNumber(l) || l.input[l.pos - 1] !== "i")
      return l.errorf(`bad number syntax: ${l.input.slice(l.start, l.pos)}`);
    l.emit("complex");
  } else {
    l.emit("number");
  }
  return lexInsideAction;
}

function scanNumber(l: Lexer): boolean {
  l.accept("+-");
  let digits = "0123456789_";
  if (l.accept("0")) {
    if (l.accept("xX")) digits = "0123456789abcdefABCDEF_";
    else if (l.accept("oO")) digits = "01234567_";
    else if (l.accept("bB")) digits = "01_";
  }
  l.acceptRun(digits);
  if (l.accept(".")) l.acceptRun(digits);
  if (digits.length === 11 && l.accept("eE")) {
    l.accept("+-");
    l.acceptRun("0123456789_");
  }
  if (digits.length === 23 && l.accept("pP")) {
    l.accept("+-");
    l.acceptRun("0123456789_");
  }
  l.accept("i");
  const c = l.peek();
  if (c !== EOF && isAlphaNumeric(c)) {
    l.next();
    return false;
  }
  return true;
}

/** Every item of `input`, ending with `eof` or an `error`. */
export function lex(input: string): Item[] {
  return new Lexer(input).items;
}
