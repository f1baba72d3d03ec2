/**
 * The parser of Go's `text/template` (Go 1.19, text/template/parse/parse.go), rule for rule:
 * actions, pipelines, declarations and assignments, control structures with `else if`,
 * `define`, `block` and `template`, `break`/`continue` inside `range`. Function names are
 * checked while parsing, as Go does. A problem is a GoParseError at the offending token.
 */
import type { Item, ItemType } from "./lex.js";
import { LiteralError, parseNumber, unquote } from "./literals.js";
import type {
  ArgNode,
  BranchNode,
  CommandNode,
  EndNode,
  ListNode,
  Node,
  PipeNode,
  Templates,
  TemplateNode,
  VariableNode,
} from "./nodes.js";
import { GoParseError, Parser, describe } from "./parse-stream.js";

export { GoParseError } from "./parse-stream.js";

/** One tree being parsed (the main template, a define or a block body). */
class Tree {
  vars = ["$"];
  rangeDepth = 0;

  constructor(
    readonly p: Parser,
    readonly name: string,
  ) {}

  fail(message: string, pos = this.p.current.pos): never {
    throw new GoParseError(message, pos);
  }

  unexpected(token: Item, context: string): never {
    if (token.type === "error") this.fail(token.val, token.pos);
    this.fail(`unexpected ${describe(token)} in ${context}`, token.pos);
  }

  expect(type: ItemType, context: string): Item {
    const token = this.p.nextNonSpace();
    if (token.type !== type) this.unexpected(token, context);
    return token;
  }

  /** The top level: text, actions and `{{define}}`s, until EOF. */
  parseTop(): ListNode {
    const root: ListNode = { type: "list", pos: this.p.peek().pos, nodes: [] };
    while (this.p.peek().type !== "eof") {
      if (this.p.peek().type === "leftDelim") {
        const delim = this.p.next();
        if (this.p.nextNonSpace().type === "define") {
          new Tree(this.p, "definition").parseDefinition();
          continue;
        }
        this.p.backup2(delim);
      }
      const n = this.textOrAction();
      if (n.type === "end" || n.type === "else") this.fail(`unexpected {{${n.type}}}`, n.pos);
      root.nodes.push(n);
    }
    return root;
  }

  parseDefinition(): void {
    const context = "define clause";
    const token = this.p.nextNonSpace();
    if (token.type !== "string" && token.type !== "rawString") this.unexpected(token, context);
    const name = this.unquote(token);
    this.expect("rightDelim", context);
    const [list, end] = this.itemList();
    if (end.type !== "end") this.fail(`unexpected {{${end.type}}} in ${context}`, end.pos);
    this.p.add(name, list);
  }

  unquote(token: Item): string {
    try {
      return unquote(token.val);
    } catch (err) {
      if (err instanceof LiteralError) this.fail(err.message, token.pos);
      throw err;
    }
  }

  itemList(): [ListNode, EndNode] {
    const list: ListNode = { type: "list", pos: this.p.peekNonSpace().pos, nodes: [] };
    while (this.p.peekNonSpace().type !== "eof") {
      const n = this.textOrAction();
      if (n.type === "end" || n.type === "else") return [list, n];
      list.nodes.push(n);
    }
    this.fail("unexpected EOF");
  }

  textOrAction(): Node {
    const token = this.p.nextNonSpace();
    switch (token.type) {
      case "text":
        return { type: "text", pos: token.pos, text: token.val };
      case "leftDelim":
        return this.action();
      default:
        this.unexpected(token, "input");
    }
  }

  action(): Node {
    const token = this.p.nextNonSpace();
    switch (token.type) {
      case "block":
        return this.blockControl();
      case "break":
      case "continue":
        return this.breakControl(token);
      case "else":
        return this.elseControl();
      case "end":
        return { type: "end", pos: this.expect("rightDelim", "end").pos };
      case "if":
        return this.control("if", true);
      case "range":
        return this.control("range", false);
      case "template":
        return this.templateControl();
      case "with":
        return this.control("with", false);
    }
    this.p.backup();
    const pos = this.p.peek().pos;
    return { type: "action", pos, pipe: this.pipeline("command", "rightDelim") };
  }

  breakControl(token: Item): Node {
    const next = this.p.nextNonSpace();
    if (next.type !== "rightDelim") this.unexpected(next, `{{${token.val}}}`);
    if (this.rangeDepth === 0) this.fail(`{{${token.val}}} outside {{range}}`, token.pos);
    return { type: token.type as "break" | "continue", pos: token.pos };
  }

  pipeline(context: string, end: ItemType): PipeNode {
    const pipe: PipeNode = {
      type: "pipe",
      pos: this.p.peekNonSpace().pos,
      isAssign: false,
      decl: [],
      cmds: [],
    };
    decls: for (;;) {
      const v = this.p.peekNonSpace();
      if (v.type !== "variable") break;
      this.p.next();
      const afterVariable = this.p.peek();
      const next = this.p.peekNonSpace();
      if (next.type === "assign" || next.type === "declare") {
        pipe.isAssign = next.type === "assign";
        this.p.nextNonSpace();
        pipe.decl.push(variable(v.pos, v.val));
        this.vars.push(v.val);
      } else if (next.type === "char" && next.val === ",") {
        this.p.nextNonSpace();
        pipe.decl.push(variable(v.pos, v.val));
        this.vars.push(v.val);
        if (context === "range" && pipe.decl.length < 2) {
          const t = this.p.peekNonSpace().type;
          if (t === "variable" || t === "rightDelim" || t === "rightParen") continue decls;
          this.fail("range can only initialize variables");
        }
        this.fail(`too many declarations in ${context}`);
      } else if (afterVariable.type === "space") {
        this.p.backup3(v, afterVariable);
      } else {
        this.p.backup2(v);
      }
      break;
    }
    for (;;) {
      const token = this.p.nextNonSpace();
      if (token.type === end) {
        this.checkPipeline(pipe, context);
        return pipe;
      }
      switch (token.type) {
        case "bool":
        case "charConstant":
        case "complex":
        case "dot":
        case "field":
        case "identifier":
        case "number":
        case "nil":
        case "rawString":
        case "string":
        case "variable":
        case "leftParen":
          this.p.backup();
          pipe.cmds.push(this.command());
          break;
        default:
          this.unexpected(token, context);
      }
    }
  }

  checkPipeline(pipe: PipeNode, context: string): void {
    if (pipe.cmds.length === 0) this.fail(`missing value for ${context}`);
    pipe.cmds.slice(1).forEach((c, i) => {
      const t = c.args[0]?.type;
      if (t === "bool" || t === "dot" || t === "nil" || t === "number" || t === "string")
        this.fail(`non executable command in pipeline stage ${i + 2}`, c.pos);
    });
  }

  control(type: BranchNode["type"], allowElseIf: boolean): BranchNode {
    const mark = this.vars.length;
    const pipe = this.pipeline(type, "rightDelim");
    if (type === "range") this.rangeDepth++;
    const [list, next] = this.itemList();
    if (type === "range") this.rangeDepth--;
    let elseList: ListNode | undefined;
    if (next.type === "else") {
      if (allowElseIf && this.p.peek().type === "if") {
        this.p.next();
        elseList = { type: "list", pos: next.pos, nodes: [this.control("if", true)] };
      } else {
        const [l, end] = this.itemList();
        if (end.type !== "end") this.fail(`expected end; found {{${end.type}}}`, end.pos);
        elseList = l;
      }
    }
    this.vars.length = mark;
    return { type, pos: pipe.pos, pipe, list, elseList };
  }

  elseControl(): EndNode {
    const peek = this.p.peekNonSpace();
    if (peek.type === "if") return { type: "else", pos: peek.pos };
    return { type: "else", pos: this.expect("rightDelim", "else").pos };
  }

  templateName(token: Item, context: string): string {
    if (token.type !== "string" && token.type !== "rawString") this.unexpected(token, context);
    return this.unquote(token);
  }

  blockControl(): TemplateNode {
    const context = "block clause";
    const token = this.p.nextNonSpace();
    const name = this.templateName(token, context);
    const pipe = this.pipeline(context, "rightDelim");
    const block = new Tree(this.p, name);
    const [list, end] = block.itemList();
    if (end.type !== "end") this.fail(`unexpected {{${end.type}}} in ${context}`, end.pos);
    this.p.add(name, list);
    return { type: "template", pos: token.pos, name, pipe };
  }

  templateControl(): TemplateNode {
    const context = "template clause";
    const token = this.p.nextNonSpace();
    const name = this.templateName(token, context);
    let pipe: PipeNode | undefined;
    if (this.p.nextNonSpace().type !== "rightDelim") {
      this.p.backup();
      pipe = this.pipeline(context, "rightDelim");
    }
    return { type: "template", pos: token.pos, name, pipe };
  }

  command(): CommandNode {
    const cmd: CommandNode = { type: "command", pos: this.p.peekNonSpace().pos, args: [] };
    for (;;) {
      this.p.peekNonSpace();
      const operand = this.operand();
      if (operand !== undefined) cmd.args.push(operand);
      const token = this.p.next();
      if (token.type === "space") continue;
      if (token.type === "rightDelim" || token.type === "rightParen") this.p.backup();
      else if (token.type !== "pipe") this.unexpected(token, "operand");
      break;
    }
    if (cmd.args.length === 0) this.fail("empty command");
    return cmd;
  }

  operand(): ArgNode | undefined {
    const node = this.term();
    if (node === undefined) return undefined;
    if (this.p.peek().type !== "field") return node;
    const pos = this.p.peek().pos;
    const fields: string[] = [];
    while (this.p.peek().type === "field") fields.push(...this.p.next().val.slice(1).split("."));
    switch (node.type) {
      case "field":
        return { type: "field", pos, ident: [...node.ident, ...fields] };
      case "variable":
        return { type: "variable", pos, ident: [...node.ident, ...fields] };
      case "bool":
      case "string":
      case "number":
      case "nil":
      case "dot":
        this.fail(`unexpected . after term ${JSON.stringify(termText(node))}`, pos);
      // eslint-disable-next-line no-fallthrough
      default:
        return { type: "chain", pos, node, field: fields };
    }
  }

  term(): ArgNode | undefined {
    const token = this.p.nextNonSpace();
    switch (token.type) {
      case "identifier":
        if (!this.p.hasFunction(token.val))
          this.fail(`function ${JSON.stringify(token.val)} not defined`, token.pos);
        return { type: "identifier", pos: token.pos, ident: token.val };
      case "dot":
        return { type: "dot", pos: token.pos };
      case "nil":
        return { type: "nil", pos: token.pos };
      case "variable":
        return this.useVar(token);
      case "field":
        return { type: "field", pos: token.pos, ident: token.val.slice(1).split(".") };
      case "bool":
        return { type: "bool", pos: token.pos, value: token.val === "true" };
      case "charConstant":
      case "complex":
      case "number":
        try {
          return parseNumber(
            token.pos,
            token.val,
            token.type === "charConstant" ? "charConstant" : "number",
          );
        } catch (err) {
          if (err instanceof LiteralError) this.fail(err.message, token.pos);
          throw err;
        }
      case "leftParen":
        return this.pipeline("parenthesized pipeline", "rightParen");
      case "string":
      case "rawString":
        return { type: "string", pos: token.pos, text: this.unquote(token) };
    }
    this.p.backup();
    return undefined;
  }

  useVar(token: Item): VariableNode {
    const v = variable(token.pos, token.val);
    if (!this.vars.includes(v.ident[0] ?? ""))
      this.fail(`undefined variable "${v.ident[0]}"`, token.pos);
    return v;
  }
}

function variable(pos: number, text: string): VariableNode {
  return { type: "variable", pos, ident: text.split(".") };
}

function termText(node: ArgNode): string {
  switch (node.type) {
    case "bool":
      return String(node.value);
    case "number":
      return node.text;
    case "string":
      return JSON.stringify(node.text);
    case "nil":
      return "nil";
    default:
      return ".";
  }
}

/**
 * Parses `source` as the template `name`. `hasFunction` says which identifiers are functions
 * (builtins and secretgen's). Throws GoParseError.
 */
export function parseTemplate(
  source: string,
  name: string,
  hasFunction: (name: string) => boolean,
): Templates {
  const p = new Parser(source, hasFunction);
  const main = new Tree(p, name).parseTop();
  p.add(name, main);
  return { main: p.defined.get(name) ?? main, defined: p.defined };
}
