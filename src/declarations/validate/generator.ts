/**
 * A secret's one generator: which kind it is and how it is spelled (`KIND` or `generation.KIND`),
 * then that kind's validator.
 */
import { GENERATOR_KINDS, type GeneratorKind, type GeneratorSpec } from "../types.js";
import type { At, Obj } from "./at.js";
import { validateJson } from "./json.js";
import type { Spelling, ValidateOptions } from "./options.js";
import { validateRandom } from "./random.js";
import { validateScript } from "./script.js";
import { validateTemplate } from "./template.js";

/** The generator of kind `kind` whose settings are `raw`, or undefined (reported). */
export function validateGenerator(
  at: At,
  kind: GeneratorKind,
  raw: unknown,
  opts: ValidateOptions,
  spelling: Spelling,
): GeneratorSpec | undefined {
  switch (kind) {
    case "random":
      return validateRandom(at, raw, spelling);
    case "template":
      return validateTemplate(at, raw, opts, spelling);
    case "json":
      return validateJson(at, raw, opts, spelling);
    case "script":
      return validateScript(at, raw);
    case "wireguard":
    case "ssh-ed25519":
    case "age":
    case "manual":
      // No settings: `{}` is the only shape.
      return at.object(raw, kind, []) ? ({ kind } satisfies GeneratorSpec) : undefined;
  }
}

/** The one generator of a secret and how it is spelled, or undefined (reported). */
export function generatorOf(
  at: At,
  raw: Obj,
): { kind: GeneratorKind; spelling: Spelling } | undefined {
  const native = GENERATOR_KINDS.filter((k) => k in raw);
  if (raw.generation !== undefined) {
    if (native.length > 0) {
      at.add(
        "",
        `declares its generator both as generation and natively (${native.join(", ")}); use one spelling`,
      );
      return undefined;
    }
    const g = at.object(raw.generation, "generation", GENERATOR_KINDS);
    if (!g) return undefined;
    const kinds = GENERATOR_KINDS.filter((k) => k in g);
    if (kinds.length !== 1) {
      at.add(
        "generation",
        kinds.length === 0
          ? `has no generator (one of: ${GENERATOR_KINDS.join(", ")})`
          : `has ${kinds.length} generators (${kinds.join(", ")}); exactly one is allowed`,
      );
      return undefined;
    }
    return { kind: kinds[0] as GeneratorKind, spelling: "generation" };
  }
  if (native.length !== 1) {
    at.add(
      "",
      native.length === 0
        ? `has no generator (one of: ${GENERATOR_KINDS.join(", ")}, or generation.KIND)`
        : `has ${native.length} generators (${native.join(", ")}); exactly one is allowed`,
    );
    return undefined;
  }
  return { kind: native[0] as GeneratorKind, spelling: "native" };
}
