/**
 * The evaluator of Go's `text/template` (Go 1.19, text/template/exec.go) with
 * `Option("missingkey=error")`, over JSON data: walking actions, if/with/range (maps in sorted
 * key order), break/continue, template calls, variables, pipelines, field chains, and function
 * calls with Go's argument rules (typed parameters, the piped value as the last argument, `and`
 * and `or` short-circuiting). Calls run left to right, depth first: that order decides which
 * call draws which bytes.
 *
 * A problem is a GoExecError at the node being evaluated; a function's FuncError becomes
 * "error calling NAME: …". Any other error (a secret not resolved yet, a secretgen usage
 * error) propagates unchanged.
 */
import { FmtProblem, FmtUnsupported, sprint } from "./fmt.js";
import { NotText, SecretBytes } from "../../functions/index.js";
import {
  BUILTINS,
  FuncError,
  STRICT_BUILTINS,
  type FuncMap,
  type GoFunc,
  type ParamType,
} from "./funcs.js";
import type {
  ArgNode,
  BranchNode,
  ChainNode,
  CommandNode,
  FieldNode,
  Node,
  NumberNode,
  PipeNode,
  TemplateNode,
  Templates,
  VariableNode,
} from "./nodes.js";
import {
  isMap,
  isTrue,
  kindOf,
  mapGet,
  mapKeys,
  typeName,
  type GoMap,
  type GoValue,
} from "./values.js";

export class GoExecError extends Error {
  constructor(
    message: string,
    readonly pos: number,
    /** A failure that depends on a value (a non-text secret used as text), exit 3. */
    readonly runtime = false,
  ) {
    super(message);
    this.name = "GoExecError";
  }
}

export interface ExecOptions {
  /**
   * Printing a nil value: Go writes `<no value>`; secretgen makes it an error, so that text
   * never ends up in a secret. With "error", the printing builtins also refuse the markers Go
   * prints for nil and misused verbs (`<nil>`, `%!d(string=…)`, `%!s(MISSING)`; STRICT_BUILTINS).
   */
  noValue: "print" | "error";
  /** Deepest nesting of template calls (Go: 100000; a JavaScript stack is smaller). */
  maxDepth?: number;
}

const MISSING = Symbol("missing");
type Final = GoValue | typeof MISSING;

/** `{{break}}` and `{{continue}}` unwind to their range as these. */
class Jump extends Error {
  constructor(readonly kind: "break" | "continue") {
    super(kind);
  }
}
const BREAK = new Jump("break");
const CONTINUE = new Jump("continue");

interface Variable {
  name: string;
  value: GoValue;
}

class State {
  node: { pos: number } = { pos: 0 };
  vars: Variable[];
  out: string[] = [];

  constructor(
    readonly templates: Templates,
    readonly funcs: FuncMap,
    readonly opts: ExecOptions,
    dot: GoValue,
    readonly depth: number,
  ) {
    this.vars = [{ name: "$", value: dot }];
  }

  fail(message: string): never {
    throw new GoExecError(message, this.node.pos);
  }

  at(node: { pos: number }): void {
    this.node = node;
  }

  varValue(name: string): GoValue {
    for (let i = this.vars.length - 1; i >= 0; i--) {
      const v = this.vars[i] as Variable;
      if (v.name === name) return v.value;
    }
    this.fail(`undefined variable: ${name}`);
  }

  setVar(name: string, value: GoValue): void {
    for (let i = this.vars.length - 1; i >= 0; i--) {
      const v = this.vars[i] as Variable;
      if (v.name === name) {
        v.value = value;
        return;
      }
    }
    this.fail(`undefined variable: ${name}`);
  }

  walk(dot: GoValue, node: Node): void {
    this.at(node);
    switch (node.type) {
      case "action": {
        const val = this.evalPipeline(dot, node.pipe);
        if (node.pipe.decl.length === 0) this.printValue(node, val);
        return;
      }
      case "break":
        throw BREAK;
      case "continue":
        throw CONTINUE;
      case "if":
      case "with":
        this.walkIfOrWith(dot, node);
        return;
      case "list":
        for (const n of node.nodes) this.walk(dot, n);
        return;
      case "range":
        this.walkRange(dot, node);
        return;
      case "template":
        this.walkTemplate(dot, node);
        return;
      case "text":
        this.out.push(node.text);
        return;
      default:
        this.fail(`unexpected {{${node.type}}}`);
    }
  }

  walkIfOrWith(dot: GoValue, node: BranchNode): void {
    const mark = this.vars.length;
    try {
      const val = this.evalPipeline(dot, node.pipe);
      if (isTrue(val)) this.walk(node.type === "with" ? val : dot, node.list);
      else if (node.elseList !== undefined) this.walk(dot, node.elseList);
    } finally {
      this.vars.length = mark;
    }
  }

  walkRange(dot: GoValue, node: BranchNode): void {
    this.at(node);
    const outer = this.vars.length;
    try {
      const val = this.evalPipeline(dot, node.pipe);
      const mark = this.vars.length;
      const decl = node.pipe.decl.length;
      const one = (key: GoValue, elem: GoValue): boolean => {
        if (decl > 0) (this.vars[this.vars.length - 1] as Variable).value = elem;
        if (decl > 1) (this.vars[this.vars.length - 2] as Variable).value = key;
        try {
          this.walk(elem, node.list);
        } catch (err) {
          if (err === BREAK) return false;
          if (err !== CONTINUE) throw err;
        } finally {
          this.vars.length = mark;
        }
        return true;
      };
      switch (kindOf(val)) {
        case "slice": {
          const list = val as GoValue[];
          if (list.length === 0) break;
          for (let i = 0; i < list.length; i++) if (!one(BigInt(i), list[i] ?? null)) break;
          return;
        }
        case "map": {
          const m = val as GoMap;
          const keys = mapKeys(m);
          if (keys.length === 0) break;
          for (const k of keys) if (!one(k, m[k] ?? null)) break;
          return;
        }
        case "invalid":
          break;
        default:
          this.at(node);
          // Go prints the value here; it may be a secret, so only its type is named.
          this.fail(`range can't iterate over a value of type ${typeName(val)}`);
      }
      if (node.elseList !== undefined) this.walk(dot, node.elseList);
    } finally {
      this.vars.length = outer;
    }
  }

  walkTemplate(dot: GoValue, node: TemplateNode): void {
    this.at(node);
    const tmpl = this.templates.defined.get(node.name);
    if (tmpl === undefined) this.fail(`template "${node.name}" not defined`);
    const max = this.opts.maxDepth ?? 1000;
    if (this.depth >= max) this.fail(`exceeded maximum template depth (${max})`);
    const newDot = node.pipe === undefined ? null : this.evalPipeline(dot, node.pipe);
    const inner = new State(this.templates, this.funcs, this.opts, newDot, this.depth + 1);
    inner.out = this.out;
    inner.walk(newDot, tmpl);
  }

  evalPipeline(dot: GoValue, pipe: PipeNode): GoValue {
    this.at(pipe);
    let value: Final = MISSING;
    for (const cmd of pipe.cmds) value = this.evalCommand(dot, cmd, value);
    const result = value === MISSING ? null : value;
    for (const v of pipe.decl) {
      const name = v.ident[0] ?? "";
      if (pipe.isAssign) this.setVar(name, result);
      else this.vars.push({ name, value: result });
    }
    return result;
  }

  notAFunction(args: readonly ArgNode[], final: Final): void {
    if (args.length > 1 || final !== MISSING) this.fail("can't give argument to non-function");
  }

  evalCommand(dot: GoValue, cmd: CommandNode, final: Final): GoValue {
    const first = cmd.args[0] as ArgNode;
    switch (first.type) {
      case "field":
        return this.evalFieldNode(dot, first, cmd.args, final);
      case "chain":
        return this.evalChainNode(dot, first, cmd.args, final);
      case "identifier":
        return this.evalFunction(dot, first.ident, first, cmd.args, final);
      case "pipe":
        this.notAFunction(cmd.args, final);
        return this.evalPipeline(dot, first);
      case "variable":
        return this.evalVariableNode(dot, first, cmd.args, final);
    }
    this.at(first);
    this.notAFunction(cmd.args, final);
    switch (first.type) {
      case "bool":
        return first.value;
      case "dot":
        return dot;
      case "nil":
        return this.fail("nil is not a command");
      case "number":
        return this.idealConstant(first);
      case "string":
        return first.text;
    }
  }

  idealConstant(n: NumberNode): GoValue {
    this.at(n);
    const hexInt = /^0[xX]/.test(n.text) && !/[pP]/.test(n.text);
    if (n.isFloat && !hexInt && !n.text.startsWith("'") && /[.eEpP]/.test(n.text)) return n.float;
    if (n.isInt) return n.int;
    if (n.isUint) this.fail(`${n.text} overflows int`);
    return null;
  }

  evalFieldNode(dot: GoValue, field: FieldNode, args: readonly ArgNode[], final: Final): GoValue {
    this.at(field);
    return this.evalFieldChain(dot, field.ident, args, final);
  }

  evalChainNode(dot: GoValue, chain: ChainNode, args: readonly ArgNode[], final: Final): GoValue {
    this.at(chain);
    if (chain.node.type === "nil") this.fail("indirection through explicit nil");
    const receiver = this.evalArg(dot, "any", chain.node);
    return this.evalFieldChain(receiver, chain.field, args, final);
  }

  evalVariableNode(dot: GoValue, v: VariableNode, args: readonly ArgNode[], final: Final): GoValue {
    this.at(v);
    const value = this.varValue(v.ident[0] ?? "");
    if (v.ident.length === 1) {
      this.notAFunction(args, final);
      return value;
    }
    return this.evalFieldChain(value, v.ident.slice(1), args, final);
  }

  evalFieldChain(
    receiver: GoValue,
    ident: readonly string[],
    args: readonly ArgNode[],
    final: Final,
  ): GoValue {
    const n = ident.length;
    for (let i = 0; i < n - 1; i++)
      receiver = this.evalField(ident[i] ?? "", [], MISSING, receiver);
    return this.evalField(ident[n - 1] ?? "", args, final, receiver);
  }

  evalField(name: string, args: readonly ArgNode[], final: Final, receiver: GoValue): GoValue {
    if (receiver === null) this.fail(`nil data; no entry for key "${name}"`);
    if (isMap(receiver)) {
      if (args.length > 1 || final !== MISSING)
        this.fail(`${name} is not a method but has arguments`);
      const result = mapGet(receiver, name);
      if (result === undefined) this.fail(`map has no entry for key "${name}"`);
      return result;
    }
    this.fail(`can't evaluate field ${name} in type ${typeName(receiver)}`);
  }

  evalFunction(
    dot: GoValue,
    name: string,
    node: { pos: number },
    args: readonly ArgNode[] | undefined,
    final: Final,
  ): GoValue {
    this.at(node);
    const builtins = this.opts.noValue === "error" ? STRICT_BUILTINS : BUILTINS;
    const fn = this.funcs.get(name) ?? builtins.get(name);
    if (fn === undefined) this.fail(`"${name}" is not a defined function`);
    const builtin = !this.funcs.has(name);
    return this.evalCall(dot, fn, builtin, node, name, args, final);
  }

  evalCall(
    dot: GoValue,
    fn: GoFunc,
    builtin: boolean,
    node: { pos: number },
    name: string,
    allArgs: readonly ArgNode[] | undefined,
    final: Final,
  ): GoValue {
    const args = allArgs === undefined ? [] : allArgs.slice(1);
    const numIn = args.length + (final !== MISSING ? 1 : 0);
    const numFixed = fn.variadic === undefined ? args.length : fn.params.length;
    if (fn.variadic !== undefined) {
      if (numIn < numFixed)
        this.fail(`wrong number of args for ${name}: want at least ${numFixed} got ${args.length}`);
    } else if (numIn !== fn.params.length) {
      this.fail(`wrong number of args for ${name}: want ${fn.params.length} got ${numIn}`);
    }
    if (builtin && (name === "and" || name === "or")) {
      let v: GoValue = null;
      for (const arg of args) {
        v = this.evalArg(dot, "value", arg);
        if (isTrue(v) === (name === "or")) return v;
      }
      if (final !== MISSING) v = final;
      return v;
    }
    const argv: GoValue[] = [];
    let i = 0;
    for (; i < numFixed && i < args.length; i++)
      argv.push(this.evalArg(dot, fn.params[i] ?? "any", args[i] as ArgNode));
    if (fn.variadic !== undefined)
      for (; i < args.length; i++) argv.push(this.evalArg(dot, fn.variadic, args[i] as ArgNode));
    if (final !== MISSING) {
      let t: ParamType = fn.params[fn.params.length - 1] ?? "any";
      if (fn.variadic !== undefined)
        t = numIn - 1 < numFixed ? (fn.params[numIn - 1] ?? "any") : fn.variadic;
      argv.push(this.validateType(final, t));
    }
    if (builtin) {
      const bytes = argv.find((v) => v instanceof SecretBytes);
      if (bytes instanceof SecretBytes) this.notText(node, bytes.name, `the argument of ${name}`);
    }
    try {
      return fn.call(argv, node.pos);
    } catch (err) {
      if (err instanceof NotText) this.notText(node, err.secret, err.use);
      if (err instanceof FuncError || err instanceof FmtUnsupported || err instanceof FmtProblem) {
        this.at(node);
        this.fail(`error calling ${name}: ${err.message}`);
      }
      throw err;
    }
  }

  /** A non-text secret used as text: a runtime failure (exit 3) at `node`. */
  notText(node: { pos: number }, secret: string, use: string): never {
    throw new GoExecError(new NotText(secret, use).message, node.pos, true);
  }

  validateType(value: GoValue, type: ParamType): GoValue {
    if (value instanceof SecretBytes) {
      if (type === "bytes" || type === "any" || type === "value") return value;
      this.notText(this.node, value.name, `a ${type} argument`);
    }
    if (value === null) {
      if (type === "any" || type === "value") return null;
      this.fail(`invalid value; expected ${type}`);
    }
    const ok =
      type === "any" ||
      type === "value" ||
      ((type === "string" || type === "bytes") && typeof value === "string") ||
      (type === "int" && typeof value === "bigint") ||
      (type === "bool" && typeof value === "boolean");
    if (!ok) this.fail(`wrong type for value; expected ${type}; got ${typeName(value)}`);
    return value;
  }

  evalArg(dot: GoValue, type: ParamType, n: ArgNode): GoValue {
    this.at(n);
    switch (n.type) {
      case "dot":
        return this.validateType(dot, type);
      case "nil":
        if (type === "any" || type === "value") return null;
        return this.fail(`cannot assign nil to ${type}`);
      case "field":
        return this.validateType(this.evalFieldNode(dot, n, [n], MISSING), type);
      case "variable":
        return this.validateType(this.evalVariableNode(dot, n, [], MISSING), type);
      case "pipe":
        return this.validateType(this.evalPipeline(dot, n), type);
      case "identifier":
        return this.validateType(this.evalFunction(dot, n.ident, n, undefined, MISSING), type);
      case "chain":
        return this.validateType(this.evalChainNode(dot, n, [], MISSING), type);
    }
    switch (type) {
      case "bool":
        if (n.type === "bool") return n.value;
        return this.fail("expected bool");
      case "int":
        if (n.type === "number" && n.isInt) return n.int;
        return this.fail("expected integer");
      case "string":
        if (n.type === "string") return n.text;
        return this.fail("expected string");
      default:
        switch (n.type) {
          case "bool":
            return n.value;
          case "number":
            return this.idealConstant(n);
          default:
            return n.text;
        }
    }
  }

  printValue(node: { pos: number }, v: GoValue): void {
    this.at(node);
    if (v instanceof SecretBytes) this.notText(node, v.name, "the value printed");
    if (v === null) {
      if (this.opts.noValue === "error") this.fail("the value is nil (Go would print <no value>)");
      this.out.push("<no value>");
      return;
    }
    try {
      this.out.push(sprint([v], this.opts.noValue === "error"));
    } catch (err) {
      if (err instanceof FmtProblem) this.fail(err.message);
      throw err;
    }
  }
}

/** Renders the parsed templates with data `dot` and functions `funcs` (beside the builtins). */
export function execute(
  templates: Templates,
  dot: GoValue,
  funcs: FuncMap,
  opts: ExecOptions,
): string {
  const state = new State(templates, funcs, opts, dot, 0);
  try {
    state.walk(dot, templates.main);
  } catch (err) {
    if (err === BREAK || err === CONTINUE) throw new GoExecError("break outside range", 0);
    throw err;
  }
  return state.out.join("");
}
