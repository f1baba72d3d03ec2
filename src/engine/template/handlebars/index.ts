/**
 * Handlebars templates: parsed (parser.ts), checked against what secretgen accepts (policy.ts,
 * and literal arguments: literals.ts), and rendered by walking the tree (eval.ts) with
 * handlebars 4.7's semantics in an isolated environment (data.ts). Strict mode (a missing field
 * is an error), no HTML escaping, only our functions as helpers plus the structural block
 * helpers; `each` over an object walks its keys in code-point order, never insertion order.
 *
 * Helpers run in the order handlebars 4.7 evaluates them: statements top to bottom; in a call,
 * positional arguments left to right, then named (hash) arguments right to left, then the call.
 * That order decides which call draws which bytes (docs/formats.md, "template").
 *
 * Every problem is a usage error (exit 2) for the secret with field `template` (problems.ts).
 */
import { generatorField, type TemplateSpec } from "../../../declarations/index.js";
import { SecretgenError, runtimeError } from "../../../errors.js";
import type { RenderContext, RenderResult } from "../../context.js";
import { callFunction, defineKey, sortedKeys, utf8 } from "../../functions/index.js";
import { templateData } from "./data.js";
import { RenderProblem, evaluate } from "./eval.js";
import { withGoHint } from "./go-hint.js";
import { checkLiteralCalls } from "./literals.js";
import { parse } from "./parser.js";
import { checkPolicy } from "./policy.js";
import { FIELD, at, templateError, type Loc } from "./problems.js";

export function renderHandlebars(spec: TemplateSpec, ctx: RenderContext): RenderResult {
  const tree = checkedTree(spec.source, ctx.secret);
  const field = generatorField(spec);
  const call = (name: string, params: unknown[], hash: Record<string, unknown>, loc?: Loc) => {
    const opts = Object.create(null) as Record<string, unknown>;
    for (const key of sortedKeys(hash)) defineKey(opts, key, hash[key]);
    return callFunction(name, ctx, params, opts, field, at(loc));
  };
  try {
    return { value: utf8(evaluate(tree, templateData(spec.data), call)) };
  } catch (err) {
    if (err instanceof RenderProblem && err.runtime) {
      const where = at(err.loc);
      throw runtimeError(where === undefined ? err.message : `${where}: ${err.message}`, {
        secret: ctx.secret,
        field,
      });
    }
    if (err instanceof RenderProblem) {
      throw withGoHint(
        templateError(err.message, ctx.secret, err.loc, undefined, field),
        spec.source,
      );
    }
    throw err;
  }
}

/**
 * Parses `source` and checks its tree without rendering it, so that syntax errors, unknown
 * helpers, partials, decorators, misused block helpers and literal arguments out of range are
 * found at validation time, before any write. Throws a usage error for the first problem.
 */
export function checkHandlebars(source: string, secret: string): void {
  checkedTree(source, secret);
}

/** Parsed and checked trees by source, so validation and the first render parse once. */
const checked = new Map<string, hbs.AST.Program>();

function checkedTree(source: string, secret: string): hbs.AST.Program {
  let tree = checked.get(source);
  if (tree === undefined) {
    try {
      tree = parse(source, secret);
      checkPolicy(tree, secret);
      checkLiteralCalls(tree, secret, FIELD);
    } catch (err) {
      throw err instanceof SecretgenError ? withGoHint(err, source) : err;
    }
    checked.set(source, tree);
  }
  return tree;
}
