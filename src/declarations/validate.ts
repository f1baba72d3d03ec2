/**
 * Raw declarations (parsed JSON, from a file, stdin or `nix eval`) → validated, normalised
 * Declarations. Pure: template files are read through the `readTemplate` callback. Every
 * problem is collected with its secret and field path, then thrown as one DeclarationError.
 */
import { parseRecipient } from "../age/recipients.js";
import { isKnownFunction } from "./function-names.js";
import { SecretgenError, quote } from "../errors.js";
import { declarationHash } from "./hash.js";
import { nameCollisions, nameProblem, sortedNames } from "./names.js";
import { Problems } from "./problems.js";
import {
  GENERATOR_KINDS,
  type BytesEncoding,
  type CharsetPreset,
  type Declarations,
  type GeneratorKind,
  type GeneratorSpec,
  type RandomSpec,
  type SecretDecl,
  type TemplateEngine,
} from "./types.js";

export interface ValidateOptions {
  /** Contents of templates/REL with \r\n normalised, or undefined when it does not exist. */
  readTemplate: (rel: string) => string | undefined;
  /**
   * Check a template without rendering it (syntax, unknown helpers, literal arguments); throws
   * a SecretgenError. Omitted only by `status` without a key.
   */
  checkTemplate?: (source: string, secret: string, engine: TemplateEngine) => void;
  /**
   * Walk a JSON generator's content as a render would, without drawing or reading anything
   * (marker shapes, literal arguments); throws a SecretgenError. `field` is `json.content`.
   */
  checkJson?: (content: unknown, secret: string, field: string) => void;
}

type Obj = Record<string, unknown>;
const CHARSETS: readonly CharsetPreset[] = [
  "alnum",
  "hex",
  "digits",
  "lowercase",
  "base64url",
  "printable",
];
const ENCODINGS = ["hex", "base64", "base64url"] as const;
const SECRET_KEYS = new Set([
  "hosts",
  "owner",
  "group",
  "mode",
  "path",
  "armor",
  "generation",
  ...GENERATOR_KINDS,
]);
const ENGINES: readonly TemplateEngine[] = ["handlebars", "go"];
const CHARSET_KEYS = ["lowercase", "uppercase", "digits", "special"] as const;

/**
 * How a generator was spelled: natively (`random = { … }`) or in ASG's form
 * (`generation.random = { … }`), whose defaults differ: a `random` without any alphabet uses all
 * four character classes, and a `template` is a Go template unless it says otherwise.
 */
type Spelling = "native" | "generation";
const MAX_LENGTH = 4096;
const MAX_BYTES = 65536;

function isObject(v: unknown): v is Obj {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** The keys of `o` that are not `known`, sorted; usually none, and then nothing is sorted. */
function unknownKeys(o: Obj, known: (key: string) => boolean): string[] {
  return sortedNames(Object.keys(o).filter((k) => !known(k)));
}

function typeName(v: unknown): string {
  if (v === undefined) return "missing";
  return v === null ? "null" : Array.isArray(v) ? "a list" : `a ${typeof v}`;
}

/** Context for checking one secret: reports problems at `secrets."NAME".FIELD`. */
class At {
  constructor(
    readonly problems: Problems,
    readonly secret: string | undefined,
    /** Put before every field (`generation` for a generator declared in ASG's form). */
    readonly prefix = "",
  ) {}

  /** The same secret, with fields under `prefix`. */
  within(prefix: string): At {
    return new At(this.problems, this.secret, this.path(prefix));
  }

  path(field: string): string {
    if (this.prefix === "") return field;
    return field === "" ? this.prefix : `${this.prefix}.${field}`;
  }

  add(field: string, message: string, hint?: string): void {
    this.problems.add(message, { secret: this.secret, field: this.path(field), hint });
  }

  addError(err: unknown, field: string): void {
    if (this.prefix !== "" && err instanceof SecretgenError && err.field !== undefined) {
      err = new SecretgenError(err.message, {
        exitCode: err.exitCode,
        secret: err.secret,
        field: this.path(err.field),
        hint: err.hint,
        cause: err,
      });
    }
    this.problems.addError(err, { secret: this.secret, field: this.path(field) });
  }

  object(v: unknown, field: string, allowed: readonly string[]): Obj | undefined {
    if (!isObject(v)) {
      this.add(field, `must be an object, not ${typeName(v)}`);
      return undefined;
    }
    for (const key of unknownKeys(v, (k) => allowed.includes(k))) {
      this.add(`${field}.${key}`, `unknown field (expected one of: ${allowed.join(", ")})`);
    }
    return v;
  }

  /** An object whose keys are names (hosts, secrets): any key is allowed. */
  record(v: unknown, field: string): Obj | undefined {
    if (isObject(v)) return v;
    this.add(field, `must be an object, not ${typeName(v)}`);
    return undefined;
  }

  string(v: unknown, field: string): string | undefined {
    if (typeof v === "string") return v;
    this.add(field, `must be a string, not ${typeName(v)}`);
    return undefined;
  }

  stringList(v: unknown, field: string): string[] | undefined {
    if (!Array.isArray(v)) {
      this.add(field, `must be a list of strings, not ${typeName(v)}`);
      return undefined;
    }
    const out: string[] = [];
    v.forEach((item: unknown, i) => {
      if (typeof item === "string") out.push(item);
      else this.add(`${field}[${i}]`, `must be a string, not ${typeName(item)}`);
    });
    return out.length === v.length ? out : undefined;
  }

  integer(v: unknown, field: string, min: number, max: number): number | undefined {
    if (typeof v === "number" && Number.isInteger(v) && v >= min && v <= max) return v;
    this.add(
      field,
      `must be a whole number from ${min} to ${max}, not ${v === undefined ? "nothing" : JSON.stringify(v)}`,
    );
    return undefined;
  }

  boolean(v: unknown, field: string): boolean | undefined {
    if (typeof v === "boolean") return v;
    this.add(field, `must be true or false, not ${typeName(v)}`);
    return undefined;
  }
}

/** Normalise one recipient, or report it. */
function recipient(at: At, text: string, field: string): string | undefined {
  try {
    return parseRecipient(text).text;
  } catch (err) {
    at.addError(err, field);
    return undefined;
  }
}

/** `charsets` (or `charset` given as an attribute set): classes, omitted ones on. */
function charsetFlags(at: At, raw: unknown, field: string): RandomSpec | "bad" {
  const c = at.object(raw, field, CHARSET_KEYS);
  if (!c) return "bad";
  const flags = { lowercase: true, uppercase: true, digits: true, special: true };
  for (const k of CHARSET_KEYS) {
    if (c[k] === undefined) continue;
    const b = at.boolean(c[k], `${field}.${k}`);
    if (b === undefined) return "bad";
    flags[k] = b;
  }
  if (!CHARSET_KEYS.some((k) => flags[k])) {
    at.add(field, "switches every character set off");
    return "bad";
  }
  return { kind: "random", length: 0, charsets: flags };
}

function validateRandom(at: At, raw: unknown, spelling: Spelling): RandomSpec | undefined {
  const f = "random";
  const o = at.object(raw, f, ["length", "charset", "charsets", "alphabet", "bytes", "encoding"]);
  if (!o) return undefined;
  if (o.bytes !== undefined) {
    for (const k of ["length", "charset", "charsets", "alphabet"]) {
      if (o[k] !== undefined) at.add(`${f}.${k}`, "cannot be combined with bytes");
    }
    const bytes = at.integer(o.bytes, `${f}.bytes`, 1, MAX_BYTES);
    const encoding = o.encoding ?? "hex";
    if (typeof encoding !== "string" || !(ENCODINGS as readonly string[]).includes(encoding)) {
      at.add(`${f}.encoding`, `must be one of ${ENCODINGS.join(", ")}`);
      return undefined;
    }
    return bytes === undefined
      ? undefined
      : { kind: "random", bytes, encoding: encoding as BytesEncoding };
  }
  if (o.encoding !== undefined) at.add(`${f}.encoding`, "only goes with bytes");
  const length = o.length === undefined ? 32 : at.integer(o.length, `${f}.length`, 1, MAX_LENGTH);
  const given = ["charset", "charsets", "alphabet"].filter((k) => o[k] !== undefined);
  if (given.length > 1) {
    at.add(f, `give only one of charset, charsets, alphabet (got ${given.join(", ")})`);
    return undefined;
  }
  if (length === undefined) return undefined;
  if (o.alphabet !== undefined) {
    const alphabet = at.string(o.alphabet, `${f}.alphabet`);
    if (alphabet === undefined) return undefined;
    const chars = Array.from(alphabet);
    if (chars.length < 2 || chars.length > 256) {
      at.add(`${f}.alphabet`, `must have 2 to 256 characters, not ${chars.length}`);
      return undefined;
    }
    if (new Set(chars).size !== chars.length) {
      at.add(`${f}.alphabet`, "has repeated characters (each must appear once)");
      return undefined;
    }
    return { kind: "random", length, alphabet };
  }
  // ASG's `charset = { special = false; }` is `charsets`; so is the generation form's default.
  const classes =
    o.charsets !== undefined
      ? { raw: o.charsets, field: `${f}.charsets` }
      : isObject(o.charset)
        ? { raw: o.charset, field: `${f}.charset` }
        : o.charset === undefined && spelling === "generation"
          ? { raw: {}, field: f }
          : undefined;
  if (classes !== undefined) {
    const spec = charsetFlags(at, classes.raw, classes.field);
    return spec === "bad" || !("charsets" in spec) ? undefined : { ...spec, length };
  }
  const charset = o.charset ?? "alnum";
  if (typeof charset !== "string" || !(CHARSETS as readonly string[]).includes(charset)) {
    at.add(
      `${f}.charset`,
      `must be one of ${CHARSETS.join(", ")}, or an attribute set of lowercase, uppercase, digits, special`,
    );
    return undefined;
  }
  return { kind: "random", length, charset: charset as CharsetPreset };
}

function validateTemplate(
  at: At,
  raw: unknown,
  opts: ValidateOptions,
  spelling: Spelling,
): GeneratorSpec | undefined {
  const f = "template";
  const o = at.object(raw, f, ["content", "file", "data", "engine"]);
  if (!o) return undefined;
  const engine = o.engine ?? (spelling === "generation" ? "go" : "handlebars");
  if (typeof engine !== "string" || !(ENGINES as readonly string[]).includes(engine)) {
    at.add(`${f}.engine`, `must be one of ${ENGINES.join(", ")}`);
    return undefined;
  }
  if ((o.content === undefined) === (o.file === undefined)) {
    at.add(f, "needs exactly one of content or file");
    return undefined;
  }
  const data = o.data ?? {};
  let source: string | undefined;
  let file: string | undefined;
  if (o.file !== undefined) {
    file = at.string(o.file, `${f}.file`);
    if (file === undefined) return undefined;
    try {
      source = opts.readTemplate(file);
    } catch (err) {
      at.addError(err, `${f}.file`);
      return undefined;
    }
    if (source === undefined) {
      at.add(`${f}.file`, `templates/${file} does not exist`);
      return undefined;
    }
  } else {
    source = at.string(o.content, `${f}.content`)?.replace(/\r\n/g, "\n");
    if (source === undefined) return undefined;
  }
  try {
    opts.checkTemplate?.(source, at.secret ?? "", engine as TemplateEngine);
  } catch (err) {
    at.addError(err, f);
    return undefined;
  }
  const spec = {
    kind: "template",
    engine: engine as TemplateEngine,
    source,
    data,
    ...(spelling === "generation" ? { spelling } : {}),
  } as const;
  return file === undefined ? spec : { ...spec, file };
}

/**
 * Checks every marker's function name statically (arguments: `checkJson`, or when rendering).
 * Returns whether every name is known.
 */
function checkMarkers(at: At, v: unknown, field: string): boolean {
  let ok = true;
  if (Array.isArray(v)) {
    v.forEach((item: unknown, i) => {
      ok = checkMarkers(at, item, `${field}[${i}]`) && ok;
    });
  } else if (isObject(v)) {
    if ("__secretgen" in v) {
      const fn = v.__secretgen;
      if (typeof fn !== "string" || !isKnownFunction(fn)) {
        at.add(
          `${field}.__secretgen`,
          `unknown function ${typeof fn === "string" ? quote(fn) : typeName(fn)}`,
        );
        ok = false;
      }
    }
    for (const key of sortedNames(Object.keys(v)))
      ok = checkMarkers(at, v[key], `${field}.${key}`) && ok;
  }
  return ok;
}

function validateScript(at: At, raw: unknown): GeneratorSpec | undefined {
  const f = "script";
  const o = at.object(raw, f, [
    "script",
    "runtimeInputs",
    "runtimeInputNames",
    "dependencies",
    "timeout",
  ]);
  if (!o) return undefined;
  const script = at.string(o.script, `${f}.script`);
  const runtimeInputs =
    o.runtimeInputs === undefined ? [] : at.stringList(o.runtimeInputs, `${f}.runtimeInputs`);
  let runtimeInputNames =
    o.runtimeInputNames === undefined
      ? undefined
      : at.stringList(o.runtimeInputNames, `${f}.runtimeInputNames`);
  const dependencies =
    o.dependencies === undefined ? [] : at.stringList(o.dependencies, `${f}.dependencies`);
  const timeout = o.timeout === undefined ? 60 : at.integer(o.timeout, `${f}.timeout`, 1, 86400);
  if (script === undefined || !runtimeInputs || !dependencies || timeout === undefined)
    return undefined;
  for (const a of dependencies) {
    const inside = dependencies.find((b) => b.startsWith(a + "/"));
    if (inside !== undefined) {
      at.add(
        `${f}.dependencies`,
        `${quote(a)} and ${quote(inside)} cannot both be files under $SECRETS_DIR`,
      );
    }
  }
  runtimeInputs.forEach((p, i) => {
    if (!p.startsWith("/"))
      at.add(`${f}.runtimeInputs[${i}]`, `must be an absolute path, not ${quote(p)}`);
  });
  // Without names, the store path minus its hash stands in: stable across machines for the
  // same package version.
  runtimeInputNames ??= runtimeInputs.map((p) => p.replace(/^\/nix\/store\/[a-z0-9]{32}-/, ""));
  return {
    kind: "script",
    script: script.replace(/\r\n/g, "\n"),
    runtimeInputs,
    runtimeInputNames,
    dependencies: sortedNames(new Set(dependencies)),
    timeout,
  };
}

function validateGenerator(
  at: At,
  kind: GeneratorKind,
  raw: unknown,
  opts: ValidateOptions,
  spelling: Spelling,
) {
  switch (kind) {
    case "random":
      return validateRandom(at, raw, spelling);
    case "template":
      return validateTemplate(at, raw, opts, spelling);
    case "json": {
      const o = at.object(raw, "json", ["content"]);
      if (!o) return undefined;
      if (!("content" in o)) {
        at.add("json.content", "is required");
        return undefined;
      }
      if (checkMarkers(at, o.content, "json.content")) {
        try {
          opts.checkJson?.(o.content, at.secret ?? "", "json.content");
        } catch (err) {
          at.addError(err, "json.content");
          return undefined;
        }
      }
      return (
        spelling === "generation"
          ? { kind, content: o.content, spelling }
          : { kind, content: o.content }
      ) satisfies GeneratorSpec;
    }
    case "script":
      return validateScript(at, raw);
    case "wireguard":
    case "ssh-ed25519":
    case "age":
    case "manual":
      return at.object(raw, kind, []) ? ({ kind } satisfies GeneratorSpec) : undefined;
  }
}

/** The one generator of a secret and how it is spelled, or undefined (reported). */
function generatorOf(at: At, raw: Obj): { kind: GeneratorKind; spelling: Spelling } | undefined {
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

function validateSecret(
  at: At,
  raw: unknown,
  hosts: ReadonlyMap<string, string[]>,
  admins: readonly string[],
  opts: ValidateOptions,
): SecretDecl | undefined {
  const name = at.secret ?? "";
  if (!isObject(raw)) {
    at.add("", `must be an object, not ${typeName(raw)}`);
    return undefined;
  }
  for (const key of unknownKeys(raw, (k) => SECRET_KEYS.has(k))) {
    at.add(key, `unknown field (generators: ${GENERATOR_KINDS.join(", ")})`);
  }
  const found = generatorOf(at, raw);
  if (found === undefined) return undefined;
  const { kind, spelling } = found;
  const genAt = spelling === "generation" ? at.within("generation") : at;
  const genRaw = spelling === "generation" ? (raw.generation as Obj)[kind] : raw[kind];
  const generator = validateGenerator(genAt, kind, genRaw, opts, spelling);

  const hostNames = raw.hosts === undefined ? [] : at.stringList(raw.hosts, "hosts");
  const recipients = new Set(admins);
  hostNames?.forEach((h, i) => {
    const keys = hosts.get(h);
    if (keys) {
      keys.forEach((k) => recipients.add(k));
    } else if (/\s|^age1/.test(h)) {
      const r = recipient(at, h, `hosts[${i}]`);
      if (r !== undefined) recipients.add(r);
    } else {
      at.add(
        `hosts[${i}]`,
        `unknown host ${quote(h)}`,
        "declare it under hosts, or give a recipient",
      );
    }
  });
  const meta: Pick<SecretDecl, "owner" | "group" | "mode" | "path"> = {};
  for (const key of ["owner", "group", "path"] as const) {
    if (raw[key] !== undefined) {
      const v = at.string(raw[key], key);
      if (v !== undefined) meta[key] = v;
    }
  }
  if (raw.mode !== undefined) {
    const mode = at.string(raw.mode, "mode");
    if (mode !== undefined && !/^[0-7]{3,4}$/.test(mode))
      at.add("mode", `must be three or four octal digits like "0440", not ${quote(mode)}`);
    else if (mode !== undefined) meta.mode = mode;
  }
  if (meta.path !== undefined && !meta.path.startsWith("/"))
    at.add("path", `must be an absolute path, not ${quote(meta.path)}`);
  const armor = raw.armor === undefined ? false : at.boolean(raw.armor, "armor");
  if (!generator || !hostNames || armor === undefined) return undefined;
  return {
    name,
    hosts: hostNames,
    recipients: sortedNames(recipients),
    ...meta,
    armor,
    generator,
    declarationHash: declarationHash(generator),
  };
}

/** Validate and normalise raw declarations; throws DeclarationError listing every problem. */
export function validateDeclarations(raw: unknown, opts: ValidateOptions): Declarations {
  const problems = new Problems();
  const top = new At(problems, undefined);
  const o = top.object(raw, "declarations", ["admins", "hosts", "secrets"]);
  if (!o) problems.throwIfAny();
  const doc = o as Obj;

  const admins: string[] = [];
  const adminList = top.stringList(doc.admins ?? [], "admins");
  adminList?.forEach((a, i) => {
    const r = recipient(top, a, `admins[${i}]`);
    if (r !== undefined) admins.push(r);
  });
  if (adminList?.length === 0)
    top.add(
      "admins",
      "needs at least one admin recipient",
      "run `secretgen init` and add its recipient",
    );

  const hosts = new Map<string, string[]>();
  if (doc.hosts !== undefined) {
    const h = top.record(doc.hosts, "hosts");
    for (const host of sortedNames(Object.keys(h ?? {}))) {
      // null or [] is a host whose key is not known yet (declarations/warnings.ts).
      const list = h?.[host] === null ? [] : top.stringList(h?.[host], `hosts.${host}`);
      const keys = (list ?? []).map((k, i) => recipient(top, k, `hosts.${host}[${i}]`));
      hosts.set(
        host,
        keys.filter((k): k is string => k !== undefined),
      );
    }
  }

  const secrets = new Map<string, SecretDecl>();
  if (doc.secrets === undefined) {
    top.add("secrets", "is missing", 'declare them as an object, "secrets": {} for none yet');
  }
  const rawSecrets = doc.secrets === undefined ? undefined : top.record(doc.secrets, "secrets");
  const names = sortedNames(Object.keys(rawSecrets ?? {}));
  for (const name of names) {
    const problem = nameProblem(name);
    if (problem !== undefined) {
      problems.add(`invalid secret name: ${problem}`, { secret: name });
      continue;
    }
    const decl = validateSecret(new At(problems, name), rawSecrets?.[name], hosts, admins, opts);
    if (decl) secrets.set(name, decl);
  }
  for (const [a, b] of nameCollisions(names)) {
    problems.add(`collides with secret ${quote(a)} on disk`, { secret: b });
  }
  for (const decl of secrets.values()) {
    if (decl.generator.kind !== "script") continue;
    decl.generator.dependencies.forEach((dep, i) => {
      if (!secrets.has(dep) && rawSecrets?.[dep] === undefined) {
        problems.add(`unknown secret ${quote(dep)}`, {
          secret: decl.name,
          field: `script.dependencies[${i}]`,
        });
      }
    });
  }
  problems.throwIfAny();
  return {
    admins: sortedNames(new Set(admins)),
    hosts: Object.fromEntries(hosts),
    secrets,
  };
}
