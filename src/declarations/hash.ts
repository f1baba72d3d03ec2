/**
 * The declaration hash: SHA-256 over the canonical JSON (sorted keys) of the generator spec with
 * defaults filled in (so both spellings, `random` and `generation.random`, of the same generator
 * hash alike). A Go template's engine counts; a handlebars template hashes without it. A template file's contents count, not its path; a script's
 * runtimeInputNames count, not its store paths (which differ between machines), nor its timeout.
 * Consumer metadata (hosts, owner, group, mode, path, armor) never changes a value and is not
 * part of it.
 */
import { hash } from "node:crypto";
import stableStringify from "fast-json-stable-stringify";
import type { GeneratorSpec } from "./types.js";

const TAG = "secretgen-declaration-v1";

export function hashedSpec(spec: GeneratorSpec): unknown {
  switch (spec.kind) {
    case "template":
      // A handlebars template hashes as it did before engines existed.
      return spec.engine === "go"
        ? { kind: spec.kind, engine: spec.engine, source: spec.source, data: spec.data }
        : { kind: spec.kind, source: spec.source, data: spec.data };
    case "json":
      return { kind: spec.kind, content: spec.content };
    case "script":
      return {
        kind: spec.kind,
        script: spec.script,
        runtimeInputNames: spec.runtimeInputNames,
        dependencies: spec.dependencies,
      };
    default:
      return spec;
  }
}

export function declarationHash(spec: GeneratorSpec): string {
  return hash("sha256", TAG + "\n" + stableStringify(hashedSpec(spec)), "hex");
}
