/**
 * Parsing a handlebars template: the fast parser (fast-parse.ts) for the common shapes, else
 * handlebars' own parser, loaded on first use (templates the fast parser takes never need it),
 * with its errors reworded as secretgen's usage errors.
 */
import { createRequire } from "node:module";
import type {} from "handlebars"; // the hbs.AST types
import type * as HandlebarsParser from "handlebars/dist/cjs/handlebars/compiler/base.js";
import type HandlebarsException from "handlebars/dist/cjs/handlebars/exception.js";
import { quote, type SecretgenError } from "../../../errors.js";
import { fastParse } from "./fast-parse.js";
import { templateError } from "./problems.js";

type Exception = InstanceType<typeof HandlebarsException>;

let handlebars:
  { parser: typeof HandlebarsParser; Exception: typeof HandlebarsException } | undefined;

/** handlebars' parser and its Exception (the bundle rewrites these loads: rolldown.config.mjs). */
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

/** A handlebars Exception from the parser, with its location. */
function parseProblem(err: Exception, secret: string): SecretgenError {
  const line = typeof err.lineNumber === "number" ? err.lineNumber : undefined;
  const column = typeof err.column === "number" ? err.column : 0;
  const loc = line === undefined ? undefined : { start: { line, column } };
  const message = err.message.replace(/ - \d+:\d+$/, "");
  return templateError(message, secret, loc, err);
}

/** The template's tree; throws a usage error for a syntax error. */
export function parse(source: string, secret: string): hbs.AST.Program {
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
