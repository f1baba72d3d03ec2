/**
 * The `json` generator: `spec.content` with every marker object
 * `{"__secretgen": FN, "args": [...], "opts": {...}}` replaced by the result of calling FN.
 *
 * Walk order (it decides which call draws which bytes, so it is part of the file format):
 * depth-first; object keys in code-point order, never insertion order; list items in order; in a
 * marker, each argument in order, then each option in key order, then the call itself. Output:
 * fast-json-stable-stringify of the result (minified, no trailing newline).
 */
import stringify from "fast-json-stable-stringify";
import { generatorField, type JsonSpec, isKnownFunction } from "../../../declarations/index.js";
import { quote, runtimeError, usageError } from "../../../errors.js";
import type { RenderContext, RenderResult } from "../../context.js";
import {
  callFunction,
  NotText,
  SecretBytes,
  defineKey,
  isRecord,
  sortedKeys,
  typeName,
  utf8,
  DryStop,
  UNKNOWN,
  dryContext,
} from "../../functions/index.js";

const MARKER = "__secretgen";
const MARKER_KEYS = [MARKER, "args", "opts"];

/**
 * Walks `content` as a render does, with a dry context (functions/dry.ts): marker shapes and
 * literal arguments out of range are the usage errors rendering gives, before any render.
 * `field` is where the content is (`json.content`).
 */
export function checkJsonContent(content: unknown, secret: string, field: string): void {
  walk(content, field, dryContext(secret));
}

export function render(spec: JsonSpec, ctx: RenderContext): RenderResult {
  const field = `${generatorField(spec)}.content`;
  const out = stringify(placed(walk(spec.content, field, ctx), field, ctx)) as string | undefined;
  if (out === undefined) throw usageError("has no JSON value", { secret: ctx.secret, field });
  return { value: utf8(out) };
}

function walk(value: unknown, path: string, ctx: RenderContext): unknown {
  if (Array.isArray(value)) {
    return (value as unknown[]).map((item, i) => {
      const at = `${path}[${i}]`;
      return placed(walk(item, at, ctx), at, ctx);
    });
  }
  if (!isRecord(value)) return value;
  if (Object.hasOwn(value, MARKER)) return callMarker(value, path, ctx);
  const out = Object.create(null) as Record<string, unknown>;
  for (const key of sortedKeys(value)) {
    const at = `${path}.${key}`;
    defineKey(out, key, placed(walk(value[key], at, ctx), at, ctx));
  }
  return out;
}

/**
 * A value placed in the JSON (not a marker's argument): a secret that is not UTF-8 text has no
 * JSON form, a runtime failure of this secret alone (base64 or sha256 of it has one).
 */
function placed(value: unknown, path: string, ctx: RenderContext): unknown {
  if (!(value instanceof SecretBytes)) return value;
  throw runtimeError(new NotText(value.name, "the value placed here").message, {
    secret: ctx.secret,
    field: path,
  });
}

function callMarker(marker: Record<string, unknown>, path: string, ctx: RenderContext): unknown {
  const fail = (field: string, message: string) =>
    usageError(message, { secret: ctx.secret, field });
  for (const key of sortedKeys(marker)) {
    if (!MARKER_KEYS.includes(key)) {
      throw fail(
        `${path}.${key}`,
        `unknown key in a function call (allowed: ${MARKER_KEYS.join(", ")})`,
      );
    }
  }
  const name = marker[MARKER];
  if (typeof name !== "string" || !isKnownFunction(name)) {
    const shown = typeof name === "string" ? quote(name) : typeName(name);
    throw fail(`${path}.${MARKER}`, `unknown function ${shown}`);
  }
  const rawArgs = marker.args ?? [];
  if (!Array.isArray(rawArgs))
    throw fail(`${path}.args`, `must be a list, not ${typeName(rawArgs)}`);
  const rawOpts = marker.opts ?? {};
  if (!isRecord(rawOpts)) throw fail(`${path}.opts`, `must be an object, not ${typeName(rawOpts)}`);
  const args = (rawArgs as unknown[]).map((arg, i) => walk(arg, `${path}.args[${i}]`, ctx));
  const opts = Object.create(null) as Record<string, unknown>;
  for (const key of sortedKeys(rawOpts))
    defineKey(opts, key, walk(rawOpts[key], `${path}.opts.${key}`, ctx));
  try {
    return callFunction(name, ctx, args, opts, path);
  } catch (err) {
    // Only a dry walk (checkJsonContent) stops: what the call needs is known only when rendering.
    if (err instanceof DryStop) return UNKNOWN;
    throw err;
  }
}
