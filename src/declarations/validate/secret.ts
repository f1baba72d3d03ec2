/** One secret: its generator, its recipients, and the agenix settings (owner, mode, path, …). */
import { quote } from "../../errors.js";
import { declarationHash } from "../hash.js";
import { GENERATOR_KINDS, type SecretDecl } from "../types.js";
import { isObject, typeName, unknownKeys, type At, type Obj } from "./at.js";
import { generatorOf, validateGenerator } from "./generator.js";
import type { ValidateOptions } from "./options.js";
import { secretRecipients } from "./recipients.js";

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

/** The agenix settings of a secret that are given (owner, group, mode, path), checked. */
function settings(at: At, raw: Obj): Pick<SecretDecl, "owner" | "group" | "mode" | "path"> {
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
  return meta;
}

/** The secret `at.secret` declared as `raw`, or undefined (every problem reported). */
export function validateSecret(
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

  const { hosts: hostNames, recipients } = secretRecipients(at, raw.hosts, hosts, admins);
  const meta = settings(at, raw);
  const armor = raw.armor === undefined ? false : at.boolean(raw.armor, "armor");
  if (!generator || !hostNames || armor === undefined) return undefined;
  return {
    name,
    hosts: hostNames,
    recipients,
    ...meta,
    armor,
    generator,
    declarationHash: declarationHash(generator),
  };
}
