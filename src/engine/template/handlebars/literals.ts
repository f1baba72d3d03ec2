/**
 * The declaration-time check of a handlebars template's calls (functions/dry.ts): every call
 * of a secretgen function, with literal arguments as they are and UNKNOWN for paths, runs dry
 * in source order (positional arguments left to right, named ones right to left, then the
 * call, as the walker renders them), in every branch. A literal out of range (`{{bcrypt (secret
 * "a") 3}}`) is the usage error rendering gives, with the same field and location.
 */
import { isKnownFunction } from "../../../declarations/index.js";
import { UNKNOWN, dryCall, dryContext, defineKey, sortedKeys } from "../../functions/index.js";
import type { RenderContext } from "../../context.js";
import { namedArguments } from "./eval.js";
import { isBareName } from "./policy.js";
import { at } from "./problems.js";

type Node = hbs.AST.Node;
type Call = hbs.AST.MustacheStatement | hbs.AST.SubExpression;

class LiteralCheck {
  constructor(
    private readonly ctx: RenderContext,
    private readonly field: string,
  ) {}

  /** Statements of a program, with the block parameters in scope (they shadow helpers). */
  program(program: hbs.AST.Program | undefined, shadowed: ReadonlySet<string>): void {
    if (program === undefined) return;
    const declared = program.blockParams as string[] | undefined;
    const inner = new Set([...shadowed, ...(declared ?? [])]);
    for (const node of program.body) this.statement(node, inner);
  }

  private statement(node: Node, shadowed: ReadonlySet<string>): void {
    if (node.type === "MustacheStatement") this.expr(node, shadowed);
    else if (node.type === "BlockStatement") {
      const block = node as hbs.AST.BlockStatement;
      for (const p of block.params) this.expr(p, shadowed);
      this.program(block.program, shadowed);
      this.program(block.inverse, shadowed);
    }
  }

  /** The value of an expression when it is known before rendering, else UNKNOWN. */
  private expr(node: Node, shadowed: ReadonlySet<string>): unknown {
    switch (node.type) {
      case "StringLiteral":
        return (node as hbs.AST.StringLiteral).value;
      case "NumberLiteral":
        return (node as hbs.AST.NumberLiteral).value;
      case "BooleanLiteral":
        return (node as hbs.AST.BooleanLiteral).value;
      case "NullLiteral":
        return null;
      case "UndefinedLiteral":
        return undefined;
      case "MustacheStatement":
      case "SubExpression":
        return this.call(node as Call, shadowed);
      default:
        return UNKNOWN;
    }
  }

  private call(node: Call, shadowed: ReadonlySet<string>): unknown {
    const params = node.params.map((p) => this.expr(p, shadowed));
    const hash = this.hash(node, shadowed);
    if (node.path.type !== "PathExpression") return UNKNOWN; // {{"a b"}} is a field
    const path = node.path;
    if (!isBareName(path) || !isKnownFunction(path.original) || shadowed.has(path.original))
      return UNKNOWN;
    const name = path.original;
    const opts = Object.create(null) as Record<string, unknown>;
    for (const key of sortedKeys(hash)) defineKey(opts, key, hash[key]);
    return dryCall(name, this.ctx, params, opts, this.field, at(node.loc));
  }

  /** Named arguments as the walker evaluates them: right to left, the first of a name wins. */
  private hash(node: Call, shadowed: ReadonlySet<string>): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [key, value] of namedArguments(node))
      defineKey(out, key, this.expr(value, shadowed));
    return out;
  }
}

/** Runs every call of the checked tree dry; throws the usage error of the first bad literal. */
export function checkLiteralCalls(tree: hbs.AST.Program, secret: string, field: string): void {
  new LiteralCheck(dryContext(secret), field).program(tree, new Set());
}
