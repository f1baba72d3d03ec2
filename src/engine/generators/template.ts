/**
 * The `template` generator. Go templates (`engine: "go"`) go to ../template-go/; the rest of this
 * file is about handlebars templates, parsed by the fast parser (template-parse.ts)
 * or, for blocks, comments and the rest, by handlebars' own parser, checked here, and rendered
 * by walking the tree (template-eval.ts) with handlebars 4.7's semantics in an isolated
 * environment. Strict mode (a missing field is an error), no HTML escaping, only our
 * functions as helpers plus the structural block helpers `if`, `unless`, `each`, `with`; no
 * `log`, `lookup`, partials or decorators; prototype access off. `each` over an object walks its
 * keys in code-point order, never insertion order.
 *
 * Helpers run in the order handlebars 4.7 evaluates them: statements top to bottom; in a call,
 * positional arguments left to right, then named (hash) arguments right to left, then the call.
 * That order decides which call draws which bytes (docs/formats.md, "template").
 *
 * Every problem is a usage error (exit 2) for the secret with field `template` and, where
 * handlebars knows it, a `line L, column C: ` prefix (both 1-based).
 */
import { createRequire } from "node:module";
import type {} from "handlebars"; // the hbs.AST types
import type * as HandlebarsParser from "handlebars/dist/cjs/handlebars/compiler/base.js";
import type HandlebarsException from "handlebars/dist/cjs/handlebars/exception.js";
import {
  generatorField,
  type TemplateEngine,
  type TemplateSpec,
} from "../../declarations/types.js";
import { SecretgenError, quote, runtimeError, usageError } from "../../errors.js";
import type { RenderContext, RenderResult } from "../context.js";
import { FUNCTION_NAMES, callFunction, isFunctionName } from "../functions/index.js";
import { defineKey, isRecord, sortedKeys, utf8 } from "../functions/values.js";
import { checkGoTemplate, renderGo } from "../template-go/index.js";
import { RenderProblem, evaluate, type Loc } from "./template-eval.js";
import { withGoHint } from "./template-go-hint.js";
import { fastParse } from "./template-parse.js";
import { checkLiteralCalls } from "./template-literals.js";

type AstNode = hbs.AST.Node;
type Exception = InstanceType<typeof HandlebarsException>;

/**
 * handlebars' parser and its Exception, loaded on first use: templates the fast parser takes
 * (template-parse.ts) never need them.
 */
let handlebars:
  { parser: typeof HandlebarsParser; Exception: typeof HandlebarsException } | undefined;

function handlebarsParser(): NonNullable<typeof handlebars> {
  if (handlebars === undefined) {
    const load = createRequire(import.meta.url);
    handlebars = {
      parser: load("handlebars/dist/cjs/handlebars/compiler/base.js") as typeof HandlebarsParser,
      Exception: load("handlebars/dist/cjs/handlebars/exception.js") as typeof HandlebarsException,
    };
  }
  return handlebars;
}

const STRUCTURAL = new Set(["if", "unless", "each", "with"]);
const FIELD = "template";

function at(loc: Loc | undefined): string | undefined {
  return loc === undefined ? undefined : `line ${loc.start.line}, column ${loc.start.column + 1}`;
}

function templateError(
  message: string,
  secret: string,
  loc?: Loc,
  cause?: unknown,
  field = FIELD,
): SecretgenError {
  const where = at(loc);
  return usageError(where === undefined ? message : `${where}: ${message}`, {
    secret,
    field,
    cause,
  });
}

/**
 * The prototype of data objects: no string-keyed members (so `{{constructor}}` is a missing
 * field, not Object's), only a text form, "[object Object]" as for any object in handlebars.
 */
const DATA_PROTO = Object.freeze(
  Object.create(null, { [Symbol.toPrimitive]: { value: () => "[object Object]" } }) as object,
);

/** The JSON data as the template sees it: objects on DATA_PROTO, keys inserted sorted. */
function templateData(value: unknown): unknown {
  if (Array.isArray(value)) return (value as unknown[]).map(templateData);
  if (!isRecord(value)) return value;
  const out = Object.create(DATA_PROTO) as Record<string, unknown>;
  for (const key of sortedKeys(value)) defineKey(out, key, templateData(value[key]));
  return out;
}

export function render(spec: TemplateSpec, ctx: RenderContext): RenderResult {
  if (spec.engine === "go") return renderGo(spec, ctx);
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

/** A handlebars Exception from the parser, with its location. */
function parseProblem(err: Exception, secret: string): SecretgenError {
  const line = typeof err.lineNumber === "number" ? err.lineNumber : undefined;
  const column = typeof err.column === "number" ? err.column : 0;
  const loc = line === undefined ? undefined : { start: { line, column } };
  const message = err.message.replace(/ - \d+:\d+$/, "");
  return templateError(message, secret, loc, err);
}

function parse(source: string, secret: string): hbs.AST.Program {
  const fast = fastParse(source);
  if (fast !== undefined) return fast;
  const { parser: hbsParser, Exception } = handlebarsParser();
  try {
    return hbsParser.parse(source);
  } catch (err) {
    if (err instanceof Exception) throw parseProblem(err, secret);
    const text = err instanceof Error ? err.message : String(err);
    if (!/^(Parse|Lexical) error on line \d+/.test(text)) throw err;
    // The jison lexer is shared and synchronous: it still holds the offending token.
    const lexer = hbsParser.parser.lexer;
    const first = lexer?.yylloc;
    const loc =
      first?.first_line === undefined
        ? undefined
        : { start: { line: first.first_line, column: first.first_column ?? 0 } };
    const got = /got '([^']*)'$/.exec(text)?.[1];
    const match = lexer?.match ?? "";
    const message = text.startsWith("Lexical")
      ? "syntax error: unrecognized text"
      : got === "EOF"
        ? "syntax error at the end of the template"
        : match === ""
          ? "syntax error"
          : `syntax error at ${quote(match)}`;
    throw templateError(message, secret, loc, err);
  }
}

function isSimpleId(node: AstNode): node is hbs.AST.PathExpression {
  if (node.type !== "PathExpression") return false;
  const p = node as hbs.AST.PathExpression;
  return !p.data && p.depth === 0 && p.parts.length === 1 && p.original === p.parts[0];
}

function nameOf(node: AstNode): string {
  const p = node as Partial<hbs.AST.PathExpression>;
  return typeof p.original === "string" ? p.original : node.type;
}

/** Checks the parsed template; throws the first problem found, in source order. */
function checkAst(node: AstNode | undefined, secret: string): void {
  if (node === undefined) return;
  const fail = (message: string) => templateError(message, secret, node.loc);
  switch (node.type) {
    case "Program":
      for (const statement of (node as hbs.AST.Program).body) checkAst(statement, secret);
      return;
    case "MustacheStatement":
    case "SubExpression": {
      const call = node as hbs.AST.SubExpression;
      const isCall =
        node.type === "SubExpression" || call.params.length > 0 || hashPairs(call).length > 0;
      if (isSimpleId(call.path) && STRUCTURAL.has(call.path.original)) {
        const name = call.path.original;
        throw fail(`${name} is a block helper: use {{#${name} …}}…{{/${name}}}`);
      }
      if (isCall && !(isSimpleId(call.path) && isFunctionName(call.path.original))) {
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
      if (!isSimpleId(block.path) || !STRUCTURAL.has(name)) {
        throw fail(`{{#${name}}} is not a block helper (blocks: ${[...STRUCTURAL].join(", ")})`);
      }
      if (block.params.length !== 1 || hashPairs(block).length > 0) {
        throw fail(`#${name} takes exactly one argument`);
      }
      checkArguments(block, secret);
      checkAst(block.program, secret);
      checkAst(block.inverse, secret);
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
  for (const param of call.params) checkAst(param, secret);
  for (const pair of hashPairs(call)) {
    // handlebars would silently drop it (it becomes an object literal's prototype).
    if (pair.key === "__proto__")
      throw templateError("__proto__ is not a valid argument name", secret, pair.loc);
    checkAst(pair.value, secret);
  }
}

/**
 * Parses `source` and checks its tree without rendering it, so that syntax errors, unknown
 * helpers, partials, decorators and misused block helpers are found at validation time, before
 * any write. Throws a usage error (exit 2, field `template`) for the first problem.
 */
export function checkTemplate(source: string, secret: string, engine?: TemplateEngine): void {
  if (engine === "go") checkGoTemplate(source, secret);
  else checkedTree(source, secret);
}

/** Parsed and checked trees by source, so validation and the first render parse once. */
const checked = new Map<string, hbs.AST.Program>();

function checkedTree(source: string, secret: string): hbs.AST.Program {
  let tree = checked.get(source);
  if (tree === undefined) {
    try {
      tree = parse(source, secret);
      checkAst(tree, secret);
      checkLiteralCalls(tree, secret, FIELD);
    } catch (err) {
      throw err instanceof SecretgenError ? withGoHint(err, source) : err;
    }
    checked.set(source, tree);
  }
  return tree;
}
