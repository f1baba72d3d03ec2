/**
 * A fast parser for the plain templates most secrets use: text and `{{…}}`, `{{{…}}}` or `{{&…}}`
 * mustaches of paths, `@data`, literals, sub-expressions and named arguments. It builds exactly
 * the tree handlebars 4.7's parser builds, locations included (test/engine/template/handlebars/fast-parse.test.ts
 * compares the two on thousands of templates), and gives up (undefined) on anything else:
 * blocks, `else`, comments, partials, decorators, `~`, backslashes, `[…]` segments, CR and the
 * Unicode line separators, and every syntax error. Those templates go to handlebars' own parser,
 * a jison-generated one that costs ~0.15 ms per template and ~10 ms to load, and that also
 * words the syntax errors.
 *
 * Token rules follow handlebars' lexer (its rules are tried in order, the first match wins):
 * an ID must be followed by one of `=~}` `/.)|` or white space, a number or a keyword
 * (true, false, undefined, null) by one of `~})` or white space.
 */

type Pos = { line: number; column: number };
type Loc = hbs.AST.SourceLocation;
type Node = hbs.AST.Expression;

/** Thrown inside the parser to give the template to handlebars' parser (made once: no stack). */
class GiveUp extends Error {}
const GIVE_UP = new GiveUp("not a plain template");

/** Characters that are not part of an ID (handlebars' lexer: [^\s!"#%-,\.\/;->@\[-\^`\{-~]). */
const NOT_ID = /[\s!"#%-,./;->@[-^`{-~]/;
const ID_END = /[=~}\s/.)|]/;
const LITERAL_END = /[~}\s)]/;
const NUMBER = /-?[0-9]+(?:\.[0-9]+)?/y;
const ELSE = /\s*else\b/y;
const BLOCK_PARAMS = /as\s+\|/y;

/** Does `re` (sticky) match `src` at `at`? The match, or undefined. */
function matchAt(re: RegExp, src: string, at: number): string | undefined {
  re.lastIndex = at;
  return re.exec(src)?.[0];
}
const KEYWORDS = ["true", "false", "undefined", "null"] as const;
/** What makes a template one for handlebars' parser before we look at it. */
const UNSUPPORTED = /[\0\r\\\u2028\u2029]/;

type Token =
  | { kind: "(" | ")" | "=" | "@" | "close" | "close3"; start: number; end: number }
  | { kind: "sep"; text: string; start: number; end: number }
  | { kind: "id"; text: string; start: number; end: number }
  | { kind: "literal"; node: Node; start: number; end: number };

/** The tree handlebars' `parse` returns for `source`, or undefined when it is not plain. */
export function fastParse(source: string): hbs.AST.Program | undefined {
  if (UNSUPPORTED.test(source)) return undefined;
  try {
    return new Parser(source).program();
  } catch (err) {
    if (err === GIVE_UP) return undefined;
    throw err;
  }
}

class Parser {
  /** Offsets where lines start (only `\n` breaks lines: CR was refused). */
  private readonly lineStarts: number[] = [0];
  private at = 0;
  private peeked: Token | undefined;

  constructor(private readonly src: string) {
    for (let i = src.indexOf("\n"); i >= 0; i = src.indexOf("\n", i + 1))
      this.lineStarts.push(i + 1);
  }

  program(): hbs.AST.Program {
    const body: hbs.AST.Statement[] = [];
    const src = this.src;
    while (this.at < src.length) {
      const open = src.indexOf("{{", this.at);
      const end = open < 0 ? src.length : open;
      if (end > this.at) {
        const text = src.slice(this.at, end);
        const content: hbs.AST.ContentStatement = {
          type: "ContentStatement",
          original: text,
          value: text,
          loc: this.loc(this.at, end),
        } as unknown as hbs.AST.ContentStatement;
        body.push(content);
        this.at = end;
      }
      if (open >= 0) body.push(this.mustache(open));
    }
    const first = body[0]?.loc;
    const last = body[body.length - 1]?.loc;
    const loc =
      first === undefined || last === undefined
        ? undefined
        : {
            source: first.source,
            start: { line: first.start.line, column: first.start.column },
            end: { line: last.end.line, column: last.end.column },
          };
    return { type: "Program", body, strip: {}, loc } as unknown as hbs.AST.Program;
  }

  private mustache(open: number): hbs.AST.MustacheStatement {
    const src = this.src;
    let at = open + 2;
    const flag = src[at];
    // {{{{ raw blocks, {{~, {{#, {{/, {{^, {{>, {{!, {{* and {{else are not plain.
    if (flag !== undefined && "#/^>!*~".includes(flag)) throw GIVE_UP;
    if (flag === "{" && src[at + 1] === "{") throw GIVE_UP;
    if (flag === "{" || flag === "&") at++;
    else if (matchAt(ELSE, src, at) !== undefined) throw GIVE_UP;
    this.at = at;
    const triple = flag === "{";
    const { path, params, hash } = this.call();
    const close = this.next();
    if (close.kind !== (triple ? "close3" : "close")) throw GIVE_UP;
    return {
      type: "MustacheStatement",
      path,
      params,
      hash,
      escaped: flag !== "{" && flag !== "&",
      strip: { open: false, close: false },
      loc: this.loc(open, close.end),
    } as unknown as hbs.AST.MustacheStatement;
  }

  /** helperName param* hash? (a mustache's or a sub-expression's inside). */
  private call(): { path: Node; params: Node[]; hash: hbs.AST.Hash | undefined } {
    const path = this.helperName(this.next());
    const params: Node[] = [];
    const pairs: hbs.AST.HashPair[] = [];
    /** Where the named arguments start (the first key); `this.at` is where they end. */
    let hashStart = 0;
    for (;;) {
      const t = this.peek();
      if (t.kind === "close" || t.kind === "close3" || t.kind === ")") break;
      if (t.kind === "id" && this.isKey()) {
        this.next();
        this.next(); // the "="
        const value = this.param(this.next());
        // The value's last token was just consumed: `this.at` is where the pair ends.
        const pair = { type: "HashPair", key: t.text, value, loc: this.loc(t.start, this.at) };
        if (pairs.length === 0) hashStart = t.start;
        pairs.push(pair as hbs.AST.HashPair);
      } else {
        if (pairs.length > 0) throw GIVE_UP; // a positional argument after a named one
        params.push(this.param(this.next()));
      }
    }
    const hash =
      pairs.length === 0
        ? undefined
        : ({ type: "Hash", pairs, loc: this.loc(hashStart, this.at) } as hbs.AST.Hash);
    return { path, params, hash };
  }

  private param(t: Token): Node {
    if (t.kind !== "(") return this.helperName(t);
    const { path, params, hash } = this.call();
    const close = this.next();
    if (close.kind !== ")") throw GIVE_UP;
    return {
      type: "SubExpression",
      path,
      params,
      hash,
      loc: this.loc(t.start, close.end),
    } as unknown as hbs.AST.SubExpression;
  }

  /** A path, `@data` path, or literal. */
  private helperName(t: Token): Node {
    if (t.kind === "literal") return t.node;
    const data = t.kind === "@";
    const first = data ? this.next() : t;
    if (first.kind !== "id") throw GIVE_UP;
    const parts: { part: string; separator?: string }[] = [{ part: first.text }];
    let end = first.end;
    for (let sep = this.peek(); sep.kind === "sep"; sep = this.peek()) {
      this.next();
      const id = this.next();
      if (id.kind !== "id") throw GIVE_UP;
      parts.push({ part: id.text, separator: sep.text });
      end = id.end;
    }
    return this.path(data, parts, this.loc(t.start, end));
  }

  /** handlebars' preparePath, for segments without [] (so none is a literal one). */
  private path(data: boolean, parts: { part: string; separator?: string }[], loc: Loc): Node {
    let original = data ? "@" : "";
    const dig: string[] = [];
    let depth = 0;
    for (const { part, separator } of parts) {
      original += (separator ?? "") + part;
      if (part === ".." || part === "." || part === "this") {
        if (dig.length > 0) throw GIVE_UP; // handlebars' "Invalid path" error
        if (part === "..") depth++;
      } else dig.push(part);
    }
    return { type: "PathExpression", data, depth, parts: dig, original, loc } as Node;
  }

  /** The next token is an ID followed by "=" (a named argument). */
  private isKey(): boolean {
    const id = this.peek();
    return id.kind === "id" && this.scan(id.end).kind === "=";
  }

  /** The token at `this.at`, not consumed. */
  private peek(): Token {
    this.peeked ??= this.scan(this.at);
    return this.peeked;
  }

  /** The token at `this.at`, consumed. */
  private next(): Token {
    const t = this.peek();
    this.peeked = undefined;
    this.at = t.end;
    return t;
  }

  /** The token at `from` (white space skipped), as handlebars' lexer sees it in a mustache. */
  private scan(from: number): Token {
    const src = this.src;
    let at = from;
    while (at < src.length && /\s/.test(src[at] ?? "")) at++;
    const start = at;
    const c = src[at];
    if (c === undefined) throw GIVE_UP;
    if (c === "(" || c === ")" || c === "=" || c === "@") return { kind: c, start, end: at + 1 };
    if (src.startsWith("{{", at) || src.startsWith("}}}}", at)) throw GIVE_UP;
    if (c === ".") {
      if (src[at + 1] === ".") return { kind: "id", text: "..", start, end: at + 2 };
      if (ID_END.test(src[at + 1] ?? "")) return { kind: "id", text: ".", start, end: at + 1 };
      return { kind: "sep", text: ".", start, end: at + 1 };
    }
    if (c === "/") return { kind: "sep", text: "/", start, end: at + 1 };
    if (src.startsWith("}}}", at)) return { kind: "close3", start, end: at + 3 };
    if (src.startsWith("}}", at)) return { kind: "close", start, end: at + 2 };
    if (c === '"' || c === "'") {
      const close = src.indexOf(c, at + 1);
      if (close < 0) throw GIVE_UP;
      const value = src.slice(at + 1, close);
      const node = {
        type: "StringLiteral",
        value,
        original: value,
        loc: this.loc(start, close + 1),
      };
      return { kind: "literal", node, start, end: close + 1 };
    }
    for (const word of KEYWORDS) {
      if (src.startsWith(word, at) && LITERAL_END.test(src[at + word.length] ?? "")) {
        const end = at + word.length;
        return { kind: "literal", node: this.keyword(word, this.loc(start, end)), start, end };
      }
    }
    const num = matchAt(NUMBER, src, at);
    if (num !== undefined && LITERAL_END.test(src[at + num.length] ?? "")) {
      const value = Number(num);
      const end = at + num.length;
      const node = { type: "NumberLiteral", value, original: value, loc: this.loc(start, end) };
      return { kind: "literal", node, start, end };
    }
    if (matchAt(BLOCK_PARAMS, src, at) !== undefined) throw GIVE_UP; // block parameters
    let end = at;
    while (end < src.length && !NOT_ID.test(src[end] ?? "")) end++;
    if (end === at || !ID_END.test(src[end] ?? "")) throw GIVE_UP;
    return { kind: "id", text: src.slice(at, end), start, end };
  }

  private keyword(word: (typeof KEYWORDS)[number], loc: Loc): Node {
    switch (word) {
      case "true":
      case "false":
        return {
          type: "BooleanLiteral",
          value: word === "true",
          original: word === "true",
          loc,
        } as Node;
      case "undefined":
        return { type: "UndefinedLiteral", original: undefined, value: undefined, loc } as Node;
      case "null":
        return { type: "NullLiteral", original: null, value: null, loc } as unknown as Node;
    }
  }

  private pos(offset: number): Pos {
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.lineStarts[mid] ?? 0) <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - (this.lineStarts[lo] ?? 0) };
  }

  private loc(start: number, end: number): Loc {
    return { source: undefined, start: this.pos(start), end: this.pos(end) } as unknown as Loc;
  }
}
