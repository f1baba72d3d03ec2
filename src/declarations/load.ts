/**
 * Loading declarations: from a JSON file, from stdin, or from Nix. The I/O edge of this area;
 * validation itself is pure (validate/). The CLI turns its options into a DeclarationSource.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { buffer } from "node:stream/consumers";
import { usageError } from "../errors.js";
import type { Declarations } from "./types.js";
import { jsonErrorOffset } from "./json-error-offset.js";
import { CheckLoading } from "./check-loading.js";
import { decodeUtf8 } from "./utf8.js";
import { validateDeclarations, type ValidateOptions } from "./validate/index.js";

/** Where declarations live (the store's Layout is one): passed in, as the store is above. */
export interface DeclarationPaths {
  /** secrets/: secrets.json by default. */
  readonly secretsDir: string;
  /** A template file's path from its name in a declaration. */
  templateFile(rel: string): string;
}

/**
 * Where the declarations come from: a JSON file (default secrets/secrets.json), stdin, or a Nix
 * evaluation (`ref` is `FLAKEREF#ATTR` or a .nix file; `attr` an attribute path inside a file).
 */
export type DeclarationSource =
  | { readonly from: "file"; readonly path?: string | undefined }
  | { readonly from: "stdin" }
  | { readonly from: "nix"; readonly ref: string; readonly attr?: string | undefined };

export interface LoadOptions {
  /** Default: the file secrets/secrets.json. */
  source?: DeclarationSource;
  layout: DeclarationPaths;
  cwd: string;
  stdin?: NodeJS.ReadableStream;
  /**
   * Checks of every template and JSON content before rendering (syntax, function names,
   * literal arguments), which the engine provides and the CLI passes in: the engine is a layer
   * above. Cheap (no render, no I/O), so `check --offline` does them too; `status` without a
   * key passes none.
   */
  checks?: Pick<ValidateOptions, "checkTemplate" | "checkJson">;
}

/** Parse JSON text; the error never quotes the input (it could hold a value). */
export function parseJson(source: string, what: string): unknown {
  try {
    return JSON.parse(source) as unknown;
  } catch (err) {
    if (!(err instanceof SyntaxError)) throw err;
    const offset = jsonErrorOffset(source) ?? Number(/position (\d+)/.exec(err.message)?.[1] ?? 0);
    const end = offset >= source.length ? " (it ends too early)" : "";
    throw usageError(`${what} is not valid JSON at ${lineCol(source, offset)}${end}`, {
      reason: "declarations",
    });
  }
}

function lineCol(source: string, pos: number): string {
  const before = source.slice(0, pos);
  const line = before.split("\n").length;
  return `line ${line}, column ${pos - before.lastIndexOf("\n")}`;
}

async function loadRaw(opts: LoadOptions): Promise<unknown> {
  const source = opts.source ?? { from: "file" };
  if (source.from === "nix") {
    const { evalNix } = await import("./nix.js");
    return evalNix({ nix: source.ref, attr: source.attr, cwd: opts.cwd });
  }
  if (source.from === "stdin") {
    const bytes = await buffer(opts.stdin ?? process.stdin);
    return parseJson(decodeUtf8(bytes, "declarations on stdin"), "declarations on stdin");
  }
  const path = source.path ?? join(opts.layout.secretsDir, "secrets.json");
  if (!existsSync(path)) {
    throw usageError(`${path} does not exist`, {
      reason: "no-declarations",
      hint: "declare secrets in secrets/secrets.json",
    });
  }
  return parseJson(decodeUtf8(readFileSync(path), path), path);
}

export async function loadDeclarations(opts: LoadOptions): Promise<Declarations> {
  const raw = await loadRaw(opts);
  for (;;) {
    try {
      return validateDeclarations(raw, {
        ...opts.checks,
        readTemplate: (rel) => {
          const path = opts.layout.templateFile(rel);
          if (!existsSync(path)) return undefined;
          return decodeUtf8(readFileSync(path), `templates/${rel}`).replace(/\r\n/g, "\n");
        },
      });
    } catch (err) {
      if (!(err instanceof CheckLoading)) throw err;
      await err.loaded;
    }
  }
}
