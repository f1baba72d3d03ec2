/**
 * What secretgen accepts of handlebars, checked on the parsed tree: only our functions as
 * helpers plus the structural block helpers `if`, `unless`, `each`, `with`; no `log`,
 * `lookup`, partials or decorators; no `__proto__` argument. Throws the first problem found, in
 * source order.
 */
import { isKnownFunction } from "../../../declarations/index.js";
import { quote } from "../../../errors.js";
import { FUNCTION_NAMES } from "../../functions/index.js";
import { templateError } from "./problems.js";

type AstNode = hbs.AST.Node;

export const STRUCTURAL = new Set(["if", "unless", "each", "with"]);

/** A name as written, nothing else: not `@name`, `this.name`, `./name` or `../name`. */
export function isBareName(node: AstNode): node is hbs.AST.PathExpression {
  if (node.type !== "PathExpression") return false;
  const p = node as hbs.AST.PathExpression;
  return !p.data && p.depth === 0 && p.parts.length === 1 && p.original === p.parts[0];
}

function nameOf(node: AstNode): string {
  const p = node as Partial<hbs.AST.PathExpression>;
  return typeof p.original === "string" ? p.original : node.type;
}

/** Checks the parsed template; throws the first problem found, in source order. */
export function checkPolicy(node: AstNode | undefined, secret: string): void {
  if (node === undefined) return;
  const fail = (message: string) => templateError(message, secret, node.loc);
  switch (node.type) {
    case "Program":
      for (const statement of (node as hbs.AST.Program).body) checkPolicy(statement, secret);
      return;
    case "MustacheStatement":
    case "SubExpression": {
      const call = node as hbs.AST.SubExpression;
      const isCall =
        node.type === "SubExpression" || call.params.length > 0 || hashPairs(call).length > 0;
      if (isBareName(call.path) && STRUCTURAL.has(call.path.original)) {
        const name = call.path.original;
        throw fail(`${name} is a block helper: use {{#${name} …}}…{{/${name}}}`);
      }
      if (isCall && !(isBareName(call.path) && isKnownFunction(call.path.original))) {
        throw fail(
          `unknown helper ${quote(nameOf(call.path))} (known: ${FUNCTION_NAMES.join(", ")})`,
        );
      }
      checkArguments(call, secret);
      return;
    }
    case "BlockStatement": {
      const block = node as hbs.AST.BlockStatement;
      const name = nameOf(block.path);
      if (!isBareName(block.path) || !STRUCTURAL.has(name)) {
        throw fail(`{{#${name}}} is not a block helper (blocks: ${[...STRUCTURAL].join(", ")})`);
      }
      if (block.params.length !== 1 || hashPairs(block).length > 0) {
        throw fail(`#${name} takes exactly one argument`);
      }
      checkArguments(block, secret);
      checkPolicy(block.program, secret);
      checkPolicy(block.inverse, secret);
      return;
    }
    case "PartialStatement":
    case "PartialBlockStatement":
      throw fail("partials are not supported");
    case "Decorator":
    case "DecoratorBlock":
      throw fail("decorators are not supported");
    default:
      return;
  }
}

/** The named arguments of a call (the typings claim a hash is always there; it is not). */
function hashPairs(call: hbs.AST.SubExpression | hbs.AST.BlockStatement): hbs.AST.HashPair[] {
  return (call.hash as hbs.AST.Hash | undefined)?.pairs ?? [];
}

function checkArguments(
  call: hbs.AST.SubExpression | hbs.AST.BlockStatement,
  secret: string,
): void {
  for (const param of call.params) checkPolicy(param, secret);
  for (const pair of hashPairs(call)) {
    // handlebars would silently drop it (it becomes an object literal's prototype).
    if (pair.key === "__proto__")
      throw templateError("__proto__ is not a valid argument name", secret, pair.loc);
    checkPolicy(pair.value, secret);
  }
}
