/**
 * Adopting existing agenix files DIR/NAME.age (`adopt`), keeping their exact plaintext: which
 * secrets may be adopted, the warnings about a value, and what is stored for it (write/ stores
 * it): manual secrets as set values, replayable ones as pinned records (kept until a
 * rotation or a declaration change), script secrets as made from the values they read today.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Declarations, SecretDecl } from "../declarations/index.js";
import { runtimeError, usageError, type Warning } from "../errors.js";
import { identityRecipient, parseIdentities } from "../age/index.js";
import { type Layout, sha256Hex } from "../store/index.js";
import { alphabetOf } from "./random.js";
import { wireguardPublicKey } from "./render/index.js";
import type { ValueToStore } from "./write/index.js";

/** What decrypts the files: one session for all of them, so a plugin asks its PIN once. */
export interface AdoptDecryptor {
  decrypt(ciphertext: Uint8Array): Promise<Uint8Array>;
  /** Start decrypting a file that will be asked for. */
  prefetch?(ciphertext: Uint8Array): void;
}

/** The declaration of a secret to adopt. @throws a usage error when it is not declared. */
export function adoptable(decls: Declarations, name: string): SecretDecl {
  const decl = decls.secrets.get(name);
  if (decl === undefined)
    throw usageError(`no secret named ${JSON.stringify(name)} is declared`, {
      hint: "declare it first",
    });
  return decl;
}

/** Why an adopted value does not look like what its declaration would make, if it does not. */
export function misfit(decl: SecretDecl, value: Uint8Array): string | undefined {
  const g = decl.generator;
  if (g.kind !== "random" || "bytes" in g) return undefined;
  const text = new TextDecoder().decode(value);
  const chars = Array.from(text);
  if (chars.length !== g.length)
    return `has ${chars.length} characters, the declaration says ${g.length}`;
  const alphabet = new Set(Array.from(alphabetOf(g)));
  if (!chars.every((c) => alphabet.has(c)))
    return "has characters outside the declared character set";
  return undefined;
}

/** The warnings about adopting `value`: it does not fit, or it replaces a value in the tree. */
export function adoptionWarnings(
  decl: SecretDecl,
  value: Uint8Array,
  replaces: boolean,
): Warning[] {
  const out: Warning[] = [];
  const bad = misfit(decl, value);
  if (bad !== undefined) out.push({ secret: decl.name, message: `the adopted value ${bad}` });
  if (replaces) out.push({ secret: decl.name, message: "replaces the value already in the tree" });
  return out;
}

/**
 * What adopting `value` stores. Generated kinds are pinned (their record has no bytes to replay
 * the value from); manual and script secrets are not. `dependencies` are the digests of the
 * values a script secret reads, as stored now.
 */
export function valueToStore(
  decl: SecretDecl,
  value: Uint8Array,
  dependencies?: Record<string, string>,
): ValueToStore {
  const kind = decl.generator.kind;
  const item: ValueToStore = {
    name: decl.name,
    value,
    pinned: kind !== "manual" && kind !== "script",
  };
  if (dependencies !== undefined) item.dependencies = dependencies;
  return item;
}

/**
 * Read and decrypt DIR/NAME.age for each name, in order: an undeclared name or a missing file is
 * a usage error, a file that does not decrypt a runtime error (both naming the secret, after
 * the warnings about the names before it). Writes nothing.
 */
export async function readAdoptions(
  decls: Declarations,
  layout: Layout,
  names: readonly string[],
  from: string,
  decryptor: AdoptDecryptor,
  onWarning: (w: Warning) => void,
): Promise<ValueToStore[]> {
  const fileOf = (name: string) => join(from, `${name}.age`);
  const read = (path: string) => new Uint8Array(readFileSync(path));
  for (const name of names) {
    if (existsSync(fileOf(name))) decryptor.prefetch?.(read(fileOf(name)));
  }
  const items: ValueToStore[] = [];
  for (const name of names) {
    const decl = adoptable(decls, name);
    const path = fileOf(name);
    if (!existsSync(path)) throw usageError(`${path} does not exist`, { secret: name });
    let value: Uint8Array;
    try {
      value = await decryptor.decrypt(read(path));
    } catch (err) {
      throw runtimeError(`cannot decrypt ${path}: ${(err as Error).message}`, {
        secret: name,
        cause: err,
      });
    }
    for (const w of adoptionWarnings(decl, value, existsSync(layout.dataFile(name)))) onWarning(w);
    let deps: Record<string, string> | undefined;
    if (decl.generator.kind === "script" && decl.generator.dependencies.length > 0) {
      deps = {};
      for (const dep of decl.generator.dependencies) {
        const file = layout.dataFile(dep);
        if (existsSync(file)) deps[dep] = sha256Hex(await decryptor.decrypt(read(file)));
      }
    }
    const item = valueToStore(decl, value, deps);
    const publicKey = await adoptedPublicKey(decl, value);
    if (publicKey !== undefined) item.publicKey = publicKey;
    items.push(item);
  }
  return items;
}

/**
 * The public/NAME.pub of an adopted keypair, derived from its private key as the generator
 * writes it (`wg pubkey`, `age-keygen -y`, `ssh-keygen -y` with the secret's name as comment),
 * and a newline. Undefined for the other kinds.
 *
 * @throws a usage error naming the secret when the value is not a private key of the declared
 * kind (a passphrase-protected ssh key included: the tree keeps keys unprotected).
 */
export async function adoptedPublicKey(
  decl: SecretDecl,
  value: Uint8Array,
): Promise<string | undefined> {
  const kind = decl.generator.kind;
  if (kind !== "wireguard" && kind !== "age" && kind !== "ssh-ed25519") return undefined;
  const notAKey = () =>
    usageError(`the adopted value is not ${KEY_NAMES[kind]}`, {
      secret: decl.name,
      hint: "adopt the private key the declaration generates",
    });
  const text = new TextDecoder().decode(value);
  if (kind === "wireguard") {
    const key = text.trim();
    if (!/^[A-Za-z0-9+/]{43}=$/.test(key)) throw notAKey();
    return wireguardPublicKey(Buffer.from(key, "base64"));
  }
  let ids;
  try {
    ids = await parseIdentities(text, {
      source: decl.name,
      passphrase: () => Promise.reject(notAKey()),
    });
  } catch {
    throw notAKey();
  }
  const want = kind === "age" ? "x25519" : "ssh-ed25519";
  const [id] = ids;
  if (ids.length !== 1 || id === undefined || id.type !== want) throw notAKey();
  const recipient = identityRecipient(id).text;
  return kind === "age" ? `${recipient}\n` : `${recipient} ${decl.name}\n`;
}

const KEY_NAMES = {
  wireguard: "a WireGuard private key (what `wg genkey` prints)",
  age: "one age X25519 identity (AGE-SECRET-KEY-1…)",
  "ssh-ed25519": "an unprotected OpenSSH ed25519 private key",
} as const;
