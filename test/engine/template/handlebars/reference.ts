/**
 * The reference renderer for the differential test: templates compiled by handlebars 4.7 to
 * JavaScript, exactly as secretgen rendered them before the tree walker
 * (src/engine/template/handlebars/eval.ts) replaced compilation. Same options, helpers, `each`
 * order and error wording; it takes a source that `checkTemplate` accepted.
 */
import Handlebars from "handlebars";
import type { TemplateSpec } from "../../../../src/declarations/types.js";
import { SecretgenError, quote, usageError } from "../../../../src/errors.js";
import { NeedSecret, type RenderContext } from "../../../../src/engine/context.js";
import { EntropyExhausted } from "../../../../src/engine/entropy.js";
import { FUNCTION_NAMES, callFunction } from "../../../../src/engine/functions/index.js";
import { defineKey, isRecord, sortedKeys, utf8 } from "../../../../src/engine/functions/values.js";

type CompileOptions = NonNullable<Parameters<typeof Handlebars.compile>[1]>;

const COMPILE_OPTIONS: CompileOptions = {
  strict: true,
  noEscape: true,
  knownHelpersOnly: true,
  knownHelpers: {
    ...Object.fromEntries(FUNCTION_NAMES.map((name) => [name, true])),
    log: false,
    lookup: false,
  },
};

const RUNTIME_OPTIONS = {
  allowProtoPropertiesByDefault: false,
  allowProtoMethodsByDefault: false,
  partials: {},
} as const;

interface Loc {
  start: { line: number; column: number };
}

interface BlockOptions {
  fn: (context: unknown, options: { data: unknown; blockParams: unknown[] }) => string;
  inverse: (context: unknown) => string;
  data?: unknown;
}

interface CallOptions {
  hash?: Record<string, unknown>;
  loc?: Loc;
  name?: string;
}

function at(loc: Loc | undefined): string | undefined {
  return loc === undefined ? undefined : `line ${loc.start.line}, column ${loc.start.column + 1}`;
}

function templateError(message: string, secret: string, loc?: Loc): SecretgenError {
  const where = at(loc);
  return usageError(where === undefined ? message : `${where}: ${message}`, {
    secret,
    field: "template",
  });
}

function sortedEach(this: unknown, context: unknown, options: BlockOptions): string {
  const entries: [string | number, unknown][] = Array.isArray(context)
    ? (context as unknown[]).map((value, i) => [i, value])
    : isRecord(context)
      ? sortedKeys(context).map((key) => [key, context[key]])
      : [];
  if (entries.length === 0) return options.inverse(this);
  const data = (options.data === undefined ? {} : Handlebars.createFrame(options.data)) as Record<
    string,
    unknown
  >;
  let out = "";
  entries.forEach(([key, value], index) => {
    data.key = key;
    data.index = index;
    data.first = index === 0;
    data.last = index === entries.length - 1;
    out += options.fn(value, {
      data,
      blockParams: Handlebars.Utils.blockParams([value, key], [null, null]),
    });
  });
  return out;
}

function missingHelper(...params: unknown[]): never {
  const options = params.at(-1) as CallOptions;
  // eslint-disable-next-line @typescript-eslint/only-throw-error
  throw new Handlebars.Exception(`unknown helper ${quote(options.name ?? "?")}`, {
    loc: options.loc,
  } as hbs.AST.Node);
}

const env = Handlebars.create();
env.unregisterHelper("log");
env.unregisterHelper("lookup");
env.registerHelper("each", sortedEach);
env.registerHelper("helperMissing", missingHelper);
env.registerHelper("blockHelperMissing", missingHelper);

const DATA_PROTO = Object.freeze(
  Object.create(null, { [Symbol.toPrimitive]: { value: () => "[object Object]" } }) as object,
);

function templateData(value: unknown): unknown {
  if (Array.isArray(value)) return (value as unknown[]).map(templateData);
  if (!isRecord(value)) return value;
  const out = Object.create(DATA_PROTO) as Record<string, unknown>;
  for (const key of sortedKeys(value)) defineKey(out, key, templateData(value[key]));
  return out;
}

function helpersFor(ctx: RenderContext): Record<string, (...params: unknown[]) => unknown> {
  const helpers: Record<string, (...params: unknown[]) => unknown> = {};
  for (const name of FUNCTION_NAMES) {
    helpers[name] = (...params: unknown[]) => {
      const options = (params.pop() ?? {}) as CallOptions;
      const opts = Object.create(null) as Record<string, unknown>;
      const hash = options.hash ?? {};
      for (const key of sortedKeys(hash)) defineKey(opts, key, hash[key]);
      return callFunction(name, ctx, params, opts, "template", at(options.loc));
    };
  }
  return helpers;
}

function runtimeProblem(err: unknown, secret: string): unknown {
  if (
    err instanceof NeedSecret ||
    err instanceof EntropyExhausted ||
    err instanceof SecretgenError
  ) {
    return err;
  }
  if (err instanceof Handlebars.Exception) {
    const line = typeof err.lineNumber === "number" ? err.lineNumber : undefined;
    const column = typeof err.column === "number" ? err.column : 0;
    const loc = line === undefined ? undefined : { start: { line, column } };
    let message = err.message.replace(/ - \d+:\d+$/, "");
    const missing = /^"(.*)" not defined in /s.exec(message);
    if (missing) message = `${quote(missing[1] ?? "")} is not defined in the template data`;
    return templateError(message, secret, loc);
  }
  if (err instanceof TypeError) {
    const lookup = /^Cannot use 'in' operator to search for '(.*?)' in /.exec(err.message);
    if (lookup) {
      return templateError(
        `${quote(lookup[1] ?? "")} is looked up in a value that is not an object`,
        secret,
      );
    }
    return templateError("the template failed while rendering (TypeError)", secret);
  }
  return err;
}

/** Renders `spec` (whose source checkTemplate accepted) the way handlebars' compiler does. */
export function renderReference(spec: TemplateSpec, ctx: RenderContext): Uint8Array {
  const template = env.compile(spec.source, COMPILE_OPTIONS);
  try {
    return utf8(
      template(templateData(spec.data), { ...RUNTIME_OPTIONS, helpers: helpersFor(ctx) }),
    );
  } catch (err) {
    throw runtimeProblem(err, ctx.secret);
  }
}
