/**
 * Raw declarations (parsed JSON, from a file, stdin or `nix eval`) → validated, normalised
 * Declarations. Pure: template files are read through the `readTemplate` callback. Every
 * problem is collected with its secret and field path, then thrown as one DeclarationError.
 *
 * The jobs: at.ts (type checks), one file per generator kind (generator.ts picks it),
 * recipients.ts (admins, hosts → recipients), secret.ts (one secret), and here the top level.
 */
import { quote } from "../../errors.js";
import { nameCollisions, nameProblem, sortedNames } from "../names.js";
import { Problems } from "../problems.js";
import type { Declarations, SecretDecl } from "../types.js";
import { At, type Obj } from "./at.js";
import type { ValidateOptions } from "./options.js";
import { adminRecipients, hostKeys } from "./recipients.js";
import { validateSecret } from "./secret.js";

export type { ValidateOptions } from "./options.js";

/** Validate and normalise raw declarations; throws DeclarationError listing every problem. */
export function validateDeclarations(raw: unknown, opts: ValidateOptions): Declarations {
  const problems = new Problems();
  const top = new At(problems, undefined);
  const o = top.object(raw, "declarations", ["admins", "hosts", "secrets"]);
  if (!o) problems.throwIfAny();
  const doc = o as Obj;

  const admins = adminRecipients(top, doc.admins);
  const hosts = hostKeys(top, doc.hosts);

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
