/**
 * The parser's token stream (text/template/parse/parse.go): the lexer's items with Go's
 * three-token lookahead, how a token reads in messages, and the set of defined templates.
 */
import { lex, type Item, type ItemType } from "./lex.js";
import type { ListNode } from "./nodes.js";

export class GoParseError extends Error {
  constructor(
    message: string,
    readonly pos: number,
  ) {
    super(message);
    this.name = "GoParseError";
  }
}

/** What the token reads as in messages (parse.item's String). */
export function describe(item: Item): string {
  if (item.type === "eof") return "EOF";
  if (item.type === "error") return item.val;
  if (KEYWORD_TYPES.has(item.type)) return `<${item.val}>`;
  return JSON.stringify(item.val.length > 10 ? item.val.slice(0, 10) + "..." : item.val);
}

const KEYWORD_TYPES = new Set<ItemType>([
  "block",
  "break",
  "continue",
  "dot",
  "define",
  "else",
  "end",
  "if",
  "nil",
  "range",
  "template",
  "with",
]);

/** Go's IsEmptyTree: only whitespace text (and comments). */
function isEmptyTree(list: ListNode): boolean {
  return list.nodes.every((n) => n.type === "text" && n.text.trim() === "");
}

/** The token stream with Go's three-token lookahead, and the set of trees. */
export class Parser {
  private readonly items: Item[];
  private index = 0;
  private readonly token: Item[] = [];
  private peekCount = 0;
  current: Item;
  readonly defined = new Map<string, ListNode>();

  constructor(
    source: string,
    readonly hasFunction: (name: string) => boolean,
  ) {
    this.items = lex(source);
    this.current = this.items[0] as Item;
  }

  private nextItem(): Item {
    const item = this.items[Math.min(this.index, this.items.length - 1)] as Item;
    if (this.index < this.items.length) this.index++;
    return item;
  }

  next(): Item {
    if (this.peekCount > 0) this.peekCount--;
    else this.token[0] = this.nextItem();
    const t = this.token[this.peekCount] as Item;
    this.current = t;
    return t;
  }

  backup(): void {
    this.peekCount++;
  }

  backup2(t1: Item): void {
    this.token[1] = t1;
    this.peekCount = 2;
  }

  backup3(t2: Item, t1: Item): void {
    this.token[1] = t1;
    this.token[2] = t2;
    this.peekCount = 3;
  }

  peek(): Item {
    if (this.peekCount > 0) return this.token[this.peekCount - 1] as Item;
    this.peekCount = 1;
    this.token[0] = this.nextItem();
    return this.token[0];
  }

  nextNonSpace(): Item {
    let token: Item;
    do token = this.next();
    while (token.type === "space");
    return token;
  }

  peekNonSpace(): Item {
    const token = this.nextNonSpace();
    this.backup();
    return token;
  }

  /** Tree.add: a name is defined once, an empty body never replaces a non-empty one. */
  add(name: string, list: ListNode): void {
    const old = this.defined.get(name);
    if (old === undefined || isEmptyTree(old)) {
      this.defined.set(name, list);
      return;
    }
    if (!isEmptyTree(list))
      throw new GoParseError(`template: multiple definition of template "${name}"`, list.pos);
  }
}
