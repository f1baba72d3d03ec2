/**
 * The lexer of Go's `text/template` (Go 1.19, text/template/parse/lex.go), rule for rule, as its
 * states: text and actions between `{{` and `}}`, `{{- ` and ` -}}` trimming the whitespace next
 * to them, comments `{{/* … *\/}}`, and the tokens inside an action.
 */
import {
  EOF,
  KEYWORDS,
  LEFT,
  LEFT_COMMENT,
  Lexer,
  RIGHT,
  RIGHT_COMMENT,
  countNewlines,
  hasLeftTrimMarker,
  hasRightTrimMarker,
  isAlphaNumeric,
  isSpace,
  runeName,
  trimLeftLength,
  trimRightLength,
  type Item,
  type ItemType,
  type State,
} from "./lexer.js";

export type { Item, ItemType } from "./lexer.js";

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
  const l = new Lexer(input);
  let state: State = lexText;
  while (state !== undefined) state = state(l);
  return l.items;
}
