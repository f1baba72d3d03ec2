/**
 * The `template` generator with `engine = "go"`: Go's `text/template` language (parse.ts,
 * exec.ts) with `missingkey=error`, secretgen's functions (secretgen-funcs.ts), and no
 * `<no value>` in a secret (printing nil is an error). Every problem is a usage error (exit 2)
 * for the secret with field `template` and a `line L, column C: ` prefix.
 *
 * Why our own interpreter: the npm package that claims Go templates, @ctrl/golang-template 2.0.1,
 * takes no functions (no readSecret, no printf) and matched Go on 73 of the 1183 generated
 * templates Go renders in the differential test (test/engine/template/go/index.test.ts).
 */
import { generatorField, type TemplateSpec } from "../../../declarations/index.js";
import { SecretgenError, runtimeError, usageError } from "../../../errors.js";
import type { RenderContext, RenderResult } from "../../context.js";
import { utf8 } from "../../functions/index.js";
import { GoExecError, execute } from "./exec.js";
import { BUILTINS } from "./funcs.js";
import type { Templates } from "./nodes.js";
import { GoParseError, parseTemplate } from "./parse.js";
import { SECRETGEN_FUNCTION_NAMES, lineColumn, secretgenFuncs } from "./secretgen-funcs.js";
import { fromJson } from "./values.js";
import { dryCheckGo } from "./dry-check.js";

const FIELD = "template";
const NAMES = new Set([...SECRETGEN_FUNCTION_NAMES, ...BUILTINS.keys()]);

function problem(
  message: string,
  secret: string,
  source: string,
  pos: number,
  field = FIELD,
): SecretgenError {
  return usageError(`${lineColumn(source, pos)}: ${message}`, { secret, field });
}

const parsed = new Map<string, Templates>();

function parsedTemplates(source: string, secret: string): Templates {
  let t = parsed.get(source);
  if (t === undefined) {
    try {
      t = parseTemplate(source, "template", (name) => NAMES.has(name));
    } catch (err) {
      if (err instanceof GoParseError) throw problem(err.message, secret, source, err.pos);
      throw err;
    }
    parsed.set(source, t);
  }
  return t;
}

/**
 * Parses a Go template without rendering it, and checks its calls' literal arguments
 * (dry-check.ts); throws a usage error for the first problem.
 */
export function checkGoTemplate(source: string, secret: string): void {
  dryCheckGo(parsedTemplates(source, secret), source, secret, FIELD);
}

export function renderGo(spec: TemplateSpec, ctx: RenderContext): RenderResult {
  const templates = parsedTemplates(spec.source, ctx.secret);
  const field = generatorField(spec);
  try {
    const funcs = secretgenFuncs(ctx, spec.source, field);
    const out = execute(templates, fromJson(spec.data), funcs, { noValue: "error" });
    return { value: utf8(out) };
  } catch (err) {
    if (err instanceof GoExecError && err.runtime) {
      throw runtimeError(`${lineColumn(spec.source, err.pos)}: ${err.message}`, {
        secret: ctx.secret,
        field,
      });
    }
    if (err instanceof GoExecError)
      throw problem(err.message, ctx.secret, spec.source, err.pos, field);
    throw err;
  }
}
