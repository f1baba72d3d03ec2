/**
 * Validated, normalised declarations. `load.ts` turns raw JSON into these; everything downstream
 * (engine, store, CLI) works only with these types. Generator specs have every default filled
 * in, so their canonical JSON is what the declaration hash covers.
 */

/** The `charset` presets, in the order messages list them (alphabets: engine/random.ts). */
export const CHARSET_PRESETS = [
  "alnum",
  "hex",
  "digits",
  "lowercase",
  "base64url",
  "printable",
] as const;
export type CharsetPreset = (typeof CHARSET_PRESETS)[number];
/** The encodings of `random.bytes`. */
export const BYTES_ENCODINGS = ["hex", "base64", "base64url"] as const;
export type BytesEncoding = (typeof BYTES_ENCODINGS)[number];

/** `random`: either characters from an alphabet, or raw bytes in an encoding. */
export type RandomSpec =
  | { kind: "random"; length: number; charset: CharsetPreset }
  | {
      kind: "random";
      length: number;
      charsets: { lowercase: boolean; uppercase: boolean; digits: boolean; special: boolean };
    }
  | { kind: "random"; length: number; alphabet: string }
  | { kind: "random"; bytes: number; encoding: BytesEncoding };

/** The template languages: handlebars (secretgen's own) and Go's `text/template` (ASG's). */
export type TemplateEngine = "handlebars" | "go";

/** `template`: template source (inline `content`, or the contents of `templates/FILE`). */
export interface TemplateSpec {
  kind: "template";
  /**
   * `handlebars` by default (absent means handlebars); `go` by default in the
   * `generation.template` form.
   */
  engine?: TemplateEngine;
  /** `generation` when declared as `generation.template` (for messages only; not hashed). */
  spelling?: "generation";
  /** The template text with `\r\n` normalised to `\n`. */
  source: string;
  /** Path under templates/ when the source came from a file (not hashed). */
  file?: string;
  data: unknown;
}

/** `json`: a JSON value with `{"__secretgen": FN, "args": [...], "opts": {...}}` markers. */
export interface JsonSpec {
  kind: "json";
  content: unknown;
  /** `generation` when declared as `generation.json` (for messages only; not hashed). */
  spelling?: "generation";
}

/** The field a generator's render-time problems are reported at: `template`, `generation.json`. */
export function generatorField(spec: { kind: string; spelling?: "generation" }): string {
  return spec.spelling === "generation" ? `generation.${spec.kind}` : spec.kind;
}

export interface KeypairSpec {
  kind: "wireguard" | "ssh-ed25519" | "age";
}

export interface ScriptSpec {
  kind: "script";
  script: string;
  /** Store paths (or directories) whose `bin/` goes on PATH. Not hashed. */
  runtimeInputs: string[];
  /** Names of the runtime inputs: hashed instead of the store paths. */
  runtimeInputNames: string[];
  /** Secrets whose values are given to the script as files under $SECRETS_DIR. */
  dependencies: string[];
  /** Seconds. */
  timeout: number;
}

export interface ManualSpec {
  kind: "manual";
}

export type GeneratorSpec =
  RandomSpec | TemplateSpec | JsonSpec | KeypairSpec | ScriptSpec | ManualSpec;
export type GeneratorKind = GeneratorSpec["kind"];

export const GENERATOR_KINDS: readonly GeneratorKind[] = [
  "random",
  "template",
  "json",
  "wireguard",
  "ssh-ed25519",
  "age",
  "script",
  "manual",
];

/** Generators whose output is replayed from recorded entropy. */
export function isReplayable(kind: GeneratorKind): boolean {
  return kind !== "script" && kind !== "manual";
}

export interface SecretDecl {
  name: string;
  /** Host names or literal recipients, as declared. */
  hosts: string[];
  /** Recipients of the data file: the hosts' keys plus the admins, sorted, deduplicated. */
  recipients: string[];
  owner?: string;
  group?: string;
  mode?: string;
  path?: string;
  armor: boolean;
  generator: GeneratorSpec;
  /** SHA-256 (hex) of the canonical generator spec; see hash.ts. */
  declarationHash: string;
}

export interface Declarations {
  admins: string[];
  hosts: Record<string, string[]>;
  /** Sorted by name. */
  secrets: Map<string, SecretDecl>;
}
