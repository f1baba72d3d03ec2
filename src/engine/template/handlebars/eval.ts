/**
 * Rendering a checked handlebars tree by walking it, without compiling it to JavaScript.
 *
 * Handlebars compiles every template to a JavaScript function before its first render, which
 * costs as much as decrypting the secret's record: a no-op run over hundreds of templates paid
 * more for compiling than for anything else. This walker gives the output handlebars 4.7 gives
 * for the trees `checkTemplate` accepts, with the options secretgen has always used: strict
 * (a missing field is an error), no HTML escaping, only known helpers (our functions and the
 * block helpers if, unless, each, with), `each` over object keys in code-point order, prototype
 * access off. A differential test (test/engine/template/handlebars/eval.test.ts) renders thousands of
 * generated templates both ways and compares output, errors and the bytes drawn.
 *
 * The order of calls decides which call draws which bytes, so it is handlebars' order too:
 * statements top to bottom; in a call, positional arguments left to right, then named arguments
 * right to left (the first of two equal names wins; the other is never evaluated), then the call.
 *
 * The names below follow handlebars' compiler and runtime (compiler.js, javascript-compiler.js,
 * runtime.js, helpers/*.js), where the matching rule is explained.
 */
import { quote } from "../../../errors.js";
import { isKnownFunction } from "../../../declarations/index.js";
import {
  NotText,
  SecretBytes,
  compareCodePoints,
  defineKey,
  isRecord,
} from "../../functions/index.js";

export interface Loc {
  start: { line: number; column: number };
}

/** A problem found while rendering, in secretgen's words; `loc` where handlebars has one. */
export class RenderProblem extends Error {
  constructor(
    message: string,
    readonly loc?: Loc,
    /** A failure that depends on a value (a non-text secret printed), not on the declaration. */
    readonly runtime = false,
  ) {
    super(message);
    this.name = "RenderProblem";
  }
}

/** Calls a secretgen function: evaluated arguments, named arguments, the call's location. */
export type CallFunction = (
  name: string,
  params: unknown[],
  hash: Record<string, unknown>,
  loc: Loc | undefined,
) => unknown;

type Node = hbs.AST.Node;
type Program = hbs.AST.Program;
type Path = hbs.AST.PathExpression;
type Call = hbs.AST.MustacheStatement | hbs.AST.SubExpression | hbs.AST.BlockStatement;

/** The `this` of a helper called where the context is null or undefined (runtime.js). */
const NULL_CONTEXT: object = Object.seal({});

/** handlebars' built-in helpers that stay known; `log` and `lookup` are removed. */
const BUILT_IN = new Set(["helperMissing", "blockHelperMissing", "each", "if", "unless", "with"]);

/** Block parameters (`as |x i|`) of the programs being rendered, innermost first. */
interface BlockParams {
  declared: string[] | undefined;
  /** What the block helper passed: each gives [value, key], with gives [context]. */
  values: unknown[] | undefined;
  outer: BlockParams | undefined;
}

/** Where a statement renders: the context, the enclosing contexts (for `../`), the @data. */
interface Frame {
  context: unknown;
  /** depths[0] is the context, depths[1] the one `../` names, and so on. */
  depths: unknown[];
  data: Record<string, unknown>;
  params: BlockParams | undefined;
}

/** A frame of @data variables: a copy of its parent with `_parent` (Utils.createFrame). */
function createFrame(parent: Record<string, unknown>): Record<string, unknown> {
  return { ...parent, _parent: parent };
}

/** Renders the checked tree `program` with template data `context`. */
export function evaluate(program: Program, context: unknown, call: CallFunction): string {
  const frame: Frame = { context, depths: [context], data: { root: context }, params: undefined };
  return new Walker(call).statements(program.body, frame);
}

class Walker {
  constructor(private readonly call: CallFunction) {}

  statements(body: readonly Node[], frame: Frame): string {
    let out = "";
    for (const node of body) {
      let value: unknown;
      switch (node.type) {
        case "ContentStatement":
          out += (node as hbs.AST.ContentStatement).value;
          continue;
        case "MustacheStatement":
          value = this.sexpr(node as hbs.AST.MustacheStatement, frame);
          break;
        case "BlockStatement":
          value = this.block(node as hbs.AST.BlockStatement, frame);
          break;
        default:
          continue; // comments; checkTemplate refused everything else
      }
      if (value instanceof SecretBytes) {
        const { message } = new NotText(value.name, "the value printed");
        throw new RenderProblem(message, node.loc, true);
      }
      // handlebars appends with `+`: a list joins with commas, an object is "[object Object]".
      // eslint-disable-next-line @typescript-eslint/restrict-plus-operands, @typescript-eslint/no-base-to-string
      if (value != null) out += value;
    }
    return out;
  }

  /** A program (a block's body or its else) run for `context` (runtime.js, wrapProgram). */
  private program(
    program: Program | undefined,
    context: unknown,
    outer: Frame,
    data = outer.data,
    values?: unknown[],
  ): string {
    if (program === undefined) return "";
    const top = outer.depths[0];
    // Loose comparison, as handlebars decides whether the context changed.
    const changed = context != top && !(context === NULL_CONTEXT && top === null);
    const frame: Frame = {
      context,
      depths: changed ? [context, ...outer.depths] : outer.depths,
      data,
      params: { declared: program.blockParams, values, outer: outer.params },
    };
    return this.statements(program.body, frame);
  }

  /** `{{name args…}}` or `(name args…)`: a helper call, or else a lookup (classifySexpr). */
  private sexpr(node: hbs.AST.MustacheStatement | hbs.AST.SubExpression, frame: Frame): unknown {
    const path = asPath(node.path);
    if (!this.isHelper(node, path, frame)) return this.lookup(path, frame, true);
    return this.invoke(node, path, frame);
  }

  private isHelper(node: Call, path: Path, frame: Frame): boolean {
    const simple = isHandlebarsSimpleId(path);
    if (simple && blockParam(frame.params, path.parts[0] ?? "") !== undefined) return false;
    if (node.type === "SubExpression" || node.params.length > 0 || hashOf(node) !== undefined)
      return true;
    const name = path.parts[0] ?? "";
    return simple && (BUILT_IN.has(name) || isKnownFunction(name));
  }

  /** A helper call in a mustache or subexpression (never a block: see `block`). */
  private invoke(node: Call, path: Path, frame: Frame): unknown {
    const name = path.parts[0] ?? "";
    const params = node.params.map((p) => this.expr(p, frame));
    const hash = this.hash(node, frame);
    switch (name) {
      case "if":
      case "unless":
      case "with":
        // Reached only as {{@if}}: the helper sees its options object alone.
        throw new RenderProblem(`#${name} requires exactly one argument`);
      case "each":
      case "helperMissing":
      case "blockHelperMissing":
        // each finds no options; the missing-helper hooks are not callable by name.
        throw typeProblem();
      default:
        return this.call(name, params, hash, node.loc);
    }
  }

  /**
   * Named arguments, evaluated right to left as handlebars' generated object literal does. Its
   * keys are collected in an object the way the compiler collects them: integer-like keys first,
   * a repeated key keeps its first position met and its leftmost value, `undefined` is dropped.
   */
  private hash(node: Call, frame: Frame): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [key, value] of namedArguments(node)) defineKey(out, key, this.expr(value, frame));
    return out;
  }

  /** An argument: a literal, a lookup (not strict), or a subexpression. */
  private expr(node: Node, frame: Frame): unknown {
    switch (node.type) {
      case "SubExpression":
        return this.sexpr(node as hbs.AST.SubExpression, frame);
      case "PathExpression":
        return this.lookup(node as Path, frame, false);
      case "StringLiteral":
        return (node as hbs.AST.StringLiteral).value;
      case "NumberLiteral":
        return (node as hbs.AST.NumberLiteral).value;
      case "BooleanLiteral":
        return (node as hbs.AST.BooleanLiteral).value;
      case "NullLiteral":
        return null;
      default:
        return undefined;
    }
  }

  /** `{{#if x}}`, `{{#unless x}}`, `{{#with x}}`, `{{#each x}}` (checked: one argument). */
  private block(node: hbs.AST.BlockStatement, frame: Frame): unknown {
    const name = node.path.parts[0] ?? "";
    if (blockParam(frame.params, name) !== undefined) {
      // A block parameter named like the helper: handlebars looks it up, then finds no helper.
      this.lookup(node.path, frame, true);
      throw new RenderProblem(`unknown helper ${quote(name)}`, node.loc);
    }
    const value = this.expr(node.params[0] as Node, frame);
    const self = frame.context != null ? frame.context : NULL_CONTEXT;
    const fn = () => this.program(node.program, self, frame);
    const inverse = () => this.program(node.inverse, self, frame);
    switch (name) {
      case "if":
        return isFalsy(value) ? inverse() : fn();
      case "unless":
        return isFalsy(value) ? fn() : inverse();
      case "with":
        return isEmpty(value)
          ? inverse()
          : this.program(node.program, value, frame, frame.data, [value]);
      default:
        return this.each(node, value, frame, inverse);
    }
  }

  /** `each`: a list in order, an object's keys in code-point order, else the inverse. */
  private each(
    node: hbs.AST.BlockStatement,
    value: unknown,
    frame: Frame,
    inverse: () => string,
  ): string {
    const entries: [string | number, unknown][] = Array.isArray(value)
      ? (value as unknown[]).map((v, i) => [i, v])
      : isRecord(value)
        ? Object.keys(value)
            .sort(compareCodePoints)
            .map((key) => [key, value[key]])
        : [];
    if (entries.length === 0) return inverse();
    const data = createFrame(frame.data);
    let out = "";
    entries.forEach(([key, item], index) => {
      data.key = key;
      data.index = index;
      data.first = index === 0;
      data.last = index === entries.length - 1;
      out += this.program(node.program, item, frame, data, [item, key]);
    });
    return out;
  }

  /**
   * The value of a path (PathExpression in compiler.js): a block parameter, the context
   * (`this`, `../`), a @data variable, or fields of the context. With `strict` (a mustache's own
   * path) the last field must exist; lookups in arguments give undefined instead.
   */
  private lookup(path: Path, frame: Frame, strict: boolean): unknown {
    const parts = path.parts;
    const name = parts[0];
    if (!path.depth && !isScoped(path) && name !== undefined) {
      const found = blockParam(frame.params, name);
      if (found !== undefined) {
        if (found.values === undefined) throw typeProblem();
        return resolve(found.values[found.index], parts, 1, false, path.loc);
      }
    }
    const context = path.depth ? frame.depths[path.depth] : frame.context;
    if (name === undefined) return context;
    if (path.data) {
      let data: unknown = frame.data;
      for (let d = path.depth; d > 0 && isTruthy(data); d--)
        data = (data as Record<string, unknown>)._parent;
      return resolve(data, parts, 0, strict, path.loc);
    }
    return resolve(context, parts, 0, strict, path.loc);
  }
}

/** The innermost block parameter called `name`, with what its helper passed. */
function blockParam(
  params: BlockParams | undefined,
  name: string,
): { values: unknown[] | undefined; index: number } | undefined {
  for (let p = params; p !== undefined; p = p.outer) {
    const index = p.declared?.indexOf(name) ?? -1;
    if (index >= 0) return { values: p.values, index };
  }
  return undefined;
}

/** Fields `parts[start…]` of `value`; with `strict` the last one must exist (container.strict). */
function resolve(
  value: unknown,
  parts: readonly string[],
  start: number,
  strict: boolean,
  loc: Loc | undefined,
): unknown {
  const end = strict ? parts.length - 1 : parts.length;
  let current = value;
  for (let i = start; i < end; i++) current = lookupProperty(current, parts[i] ?? "");
  if (!strict) return current;
  const last = parts[end] ?? "";
  const missing = () =>
    new RenderProblem(`${quote(last)} is not defined in the template data`, loc);
  if (current === null || !isTruthy(current)) throw missing();
  if (typeof current !== "object" && typeof current !== "function") {
    // `name in value` throws a TypeError for a string, number or boolean.
    throw new RenderProblem(`${quote(last)} is looked up in a value that is not an object`);
  }
  if (!(last in current)) throw missing();
  return lookupProperty(current, last);
}

/** Own properties only: prototype access is off (container.lookupProperty). */
function lookupProperty(parent: unknown, name: string): unknown {
  if (parent === null || parent === undefined) throw typeProblem();
  const result = (parent as Record<string, unknown>)[name];
  if (result === null || result === undefined) return result;
  return Object.prototype.hasOwnProperty.call(parent, name) ? result : undefined;
}

function typeProblem(): RenderProblem {
  return new RenderProblem("the template failed while rendering (TypeError)");
}

/** A literal in a path's place (`{{"a b"}}`) names a field (transformLiteralToPath). */
function asPath(node: hbs.AST.Expression): Path {
  if (node.type === "PathExpression") return node as Path;
  const original = String((node as hbs.AST.Literal & { original: unknown }).original);
  return {
    type: "PathExpression",
    data: false,
    depth: 0,
    parts: [original],
    original,
    loc: node.loc,
  };
}

/** AST.helpers.scopedId: `this.x`, `./x`. */
function isScoped(path: Path): boolean {
  return /^\.|this\b/.test(path.original);
}

/** AST.helpers.simpleId: one part, not scoped, no `../` (a @data path can be one). */
function isHandlebarsSimpleId(path: Path): boolean {
  return path.parts.length === 1 && !isScoped(path) && !path.depth;
}

function hashOf(node: Call): hbs.AST.Hash | undefined {
  return (node as { hash?: hbs.AST.Hash }).hash;
}

/**
 * A call's named arguments in the order handlebars evaluates them, right to left: keys as its
 * compiler collects them in an object (integer-like keys first, a repeated key at its first
 * position met, with its leftmost value), `undefined` literals dropped.
 */
export function namedArguments(node: Call): [string, hbs.AST.Expression][] {
  const pairs = hashOf(node)?.pairs ?? [];
  const chosen = Object.create(null) as Record<string, hbs.AST.Expression>;
  for (let i = pairs.length - 1; i >= 0; i--) {
    const pair = pairs[i];
    if (pair !== undefined) chosen[pair.key] = pair.value;
  }
  const out: [string, hbs.AST.Expression][] = [];
  for (const key of Object.keys(chosen)) {
    const value = chosen[key];
    if (value !== undefined && value.type !== "UndefinedLiteral") out.push([key, value]);
  }
  return out;
}

function isTruthy(value: unknown): boolean {
  return Boolean(value);
}

/** Utils.isEmpty: falsy but 0, or an empty list. */
function isEmpty(value: unknown): boolean {
  return (!isTruthy(value) && value !== 0) || (Array.isArray(value) && value.length === 0);
}

/** What sends `if` to its else: falsy (0 included) or an empty list. */
function isFalsy(value: unknown): boolean {
  return !isTruthy(value) || isEmpty(value);
}
