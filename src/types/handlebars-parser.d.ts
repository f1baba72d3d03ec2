/**
 * Types for the two handlebars modules secretgen loads: the parser (without the compiler and
 * runtime, which the template walker replaces) and its Exception. The AST types (`hbs.AST`) come
 * from handlebars' own declarations.
 */
declare module "handlebars/dist/cjs/handlebars/compiler/base.js" {
  /** Parses a template and applies whitespace control (`~`, standalone lines). */
  export function parse(input: string): hbs.AST.Program;
  /** The jison parser; its lexer still holds the offending token after a syntax error. */
  export const parser: {
    lexer?: { yylloc?: { first_line?: number; first_column?: number }; match?: string };
  };
}

declare module "handlebars/dist/cjs/handlebars/exception.js" {
  const Exception: typeof import("handlebars").Exception;
  export default Exception;
}
