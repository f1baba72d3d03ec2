/**
 * The declaration-time check of a Go template's calls of secretgen functions (see
 * functions/dry.ts): in every branch and defined template, each such call whose arguments fit
 * its Go signature runs dry, literals as they are and UNKNOWN for fields, variables and other
 * functions' results. A literal out of range (`{{ hashBcrypt (readSecret "a") 3 }}`) is the
 * usage error rendering gives, at the same position. Calls whose arguments do not fit (Go
 * itself refuses them when rendering) are left to the render.
 */
import { DryStop, UNKNOWN, dryContext } from "../../functions/index.js";
import type { FuncMap, ParamType } from "./funcs.js";
import type { ArgNode, CommandNode, ListNode, Node, PipeNode, Templates } from "./nodes.js";
import { secretgenFuncs } from "./secretgen-funcs.js";
import type { GoValue } from "./values.js";

type Dry = GoValue | typeof UNKNOWN;

class DryCheck {
  constructor(private readonly funcs: FuncMap) {}

  list(list: ListNode | undefined): void {
    for (const node of list?.nodes ?? []) this.node(node);
  }

  private node(node: Node): void {
    switch (node.type) {
      case "action":
        this.pipe(node.pipe);
        return;
      case "if":
      case "range":
      case "with":
        this.pipe(node.pipe);
        this.list(node.list);
        this.list(node.elseList);
        return;
      case "template":
        if (node.pipe !== undefined) this.pipe(node.pipe);
        return;
      case "list":
        this.list(node);
        return;
      default:
        return;
    }
  }

  private pipe(pipe: PipeNode): Dry {
    let final: Dry | undefined;
    for (const cmd of pipe.cmds) final = this.command(cmd, final);
    return final ?? UNKNOWN;
  }

  /** A command's value when known; `final` is the previous command's (a pipeline). */
  private command(cmd: CommandNode, final: Dry | undefined): Dry {
    const [first, ...rest] = cmd.args;
    if (first === undefined) return UNKNOWN;
    if (first.type !== "identifier") {
      for (const a of cmd.args) this.arg(a, "any");
      return cmd.args.length === 1 && final === undefined ? this.arg(first, "any") : UNKNOWN;
    }
    const fn = this.funcs.get(first.ident);
    if (fn === undefined) {
      for (const a of rest) this.arg(a, "any");
      return UNKNOWN;
    }
    const types = rest.map((_, i) => fn.params[i] ?? fn.variadic);
    const args = rest.map((a, i) => this.arg(a, types[i] ?? "any"));
    if (final !== undefined) args.push(final);
    const fixed = fn.params.length;
    const fits = fn.variadic === undefined ? args.length === fixed : args.length >= fixed;
    if (!fits || args.some((a) => a === null)) return UNKNOWN;
    // fmt checks its verbs against its values' kinds: only with every value known.
    if (first.ident === "fmt" && args.includes(UNKNOWN)) return UNKNOWN;
    try {
      return fn.call(args as GoValue[], first.pos);
    } catch (err) {
      if (err instanceof DryStop) return UNKNOWN;
      throw err;
    }
  }

  /** An argument's value as the call would get it, or UNKNOWN (also when Go would refuse it). */
  private arg(n: ArgNode, type: ParamType | undefined): Dry {
    switch (n.type) {
      case "pipe":
        return fits(this.pipe(n), type);
      case "chain":
        this.arg(n.node, "any");
        return UNKNOWN;
      case "string":
        return fits(n.text, type);
      case "bool":
        return fits(n.value, type);
      case "number":
        if (n.isInt) return fits(n.int, type);
        return type === "int" ? UNKNOWN : fits(n.float, type);
      default:
        return UNKNOWN;
    }
  }
}

function fits(v: Dry, type: ParamType | undefined): Dry {
  if (v === UNKNOWN || type === undefined || type === "any" || type === "value") return v;
  const ok =
    ((type === "string" || type === "bytes") && typeof v === "string") ||
    (type === "int" && typeof v === "bigint") ||
    (type === "bool" && typeof v === "boolean");
  return ok ? v : UNKNOWN;
}

/** Runs every secretgen call of the parsed templates dry; throws the first bad literal's error. */
export function dryCheckGo(templates: Templates, source: string, secret: string, field: string) {
  const check = new DryCheck(secretgenFuncs(dryContext(secret), source, field));
  check.list(templates.main);
  for (const list of templates.defined.values()) check.list(list);
}
