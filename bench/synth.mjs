/**
 * Synthetic declarations for the benchmark: N secrets, about 70% `random`, 20% `template` (each
 * a bcrypt of cost 10 of another secret) and 10% `json` (every other one reads a secret), two
 * hosts (web01: ssh-ed25519, db01: ssh-rsa) and the demo admin. Deterministic in N.
 */
import { chmodSync, copyFileSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "./measure.mjs";

export const KEYS = join(ROOT, "test/fixtures/keys");

/** The public line of a fixture key: "TYPE BASE64" without its comment. */
function publicKey(file) {
  return readFileSync(join(KEYS, file), "utf8").split(" ").slice(0, 2).join(" ");
}

export const ADMIN = /public key: (age1[0-9a-z]+)/.exec(
  readFileSync(join(KEYS, "admin.key"), "utf8"),
)?.[1];
export const WEB01 = publicKey("web01_ssh_host_ed25519_key.pub");
export const DB01 = publicKey("db01_ssh_host_rsa_key.pub");
/** A second admin, added by the "admin added" rekey: the age tests' throwaway X25519 key. */
export const SECOND_ADMIN = readFileSync(join(ROOT, "test/fixtures/age/x25519.pub"), "utf8").trim();

/**
 * Private (0600) copies of the demo keys in `dir` (git checks fixtures out 0644): the admin
 * identity, and the host keys (to check that a rekeyed file opens for its new host).
 */
export function privateKeys(dir) {
  const copy = (file) => {
    const dst = join(dir, file);
    copyFileSync(join(KEYS, file), dst);
    chmodSync(dst, 0o600);
    return dst;
  };
  return {
    admin: copy("admin.key"),
    web01: copy("web01_ssh_host_ed25519_key"),
    db01: copy("db01_ssh_host_rsa_key"),
  };
}

/** Kind of the i-th secret: positions 0–6 of each ten are random, 7–8 template, 9 json. */
function kindOf(i) {
  const r = i % 10;
  return r < 7 ? "random" : r < 9 ? "template" : "json";
}

/** Name of the i-th secret: a hundred per directory, like services grouping their secrets. */
export function nameOf(i) {
  const group = String(Math.floor(i / 100)).padStart(3, "0");
  return `svc-${group}/${kindOf(i)}-${String(i).padStart(5, "0")}`;
}

/** The random secret a template or json secret reads: the first of its group of ten. */
function readsFrom(i) {
  return nameOf(i - (i % 10));
}

function generatorOf(i) {
  switch (kindOf(i)) {
    case "random":
      return { random: { length: 24 + (i % 3) * 8 } };
    case "template":
      return {
        template: {
          content: `user-${i}:{{bcrypt (secret "${readsFrom(i)}") 10}}\n`,
        },
      };
    default: {
      const content = {
        user: `svc-${i}`,
        port: 5000 + (i % 1000),
        token: { __secretgen: "random", args: [32], opts: { charset: "hex" } },
      };
      if (i % 20 === 9) content.password = { __secretgen: "secret", args: [readsFrom(i)] };
      return { json: { content } };
    }
  }
}

/** Whether the i-th secret is on db01 (every even one; all of them with `rekey`). */
function onDb01(i, rekey) {
  return i % 2 === 0 || rekey;
}

/**
 * The declarations document for N secrets. Every secret is on web01, every even one also on
 * db01. With `rekey`, db01 is added to the odd ones too: about half the data files get a new
 * recipient, and nothing is regenerated. With `admin`, a second admin is added: every entropy
 * and data file gets a new recipient.
 */
export function declarations(n, { rekey = false, admin = false } = {}) {
  const secrets = {};
  for (let i = 0; i < n; i++) {
    const hosts = onDb01(i, rekey) ? ["web01", "db01"] : ["web01"];
    secrets[nameOf(i)] = { hosts, ...generatorOf(i) };
  }
  const admins = admin ? [ADMIN, SECOND_ADMIN] : [ADMIN];
  return { admins, hosts: { web01: [WEB01], db01: [DB01] }, secrets };
}

/**
 * What the write floors do, as bench/rewrite-all.mjs jobs over the tree at `root` (paths of
 * its files): `first`, encrypting what a first generate writes (an entropy record of about
 * 400 bytes to the admins and a value of 64 bytes to its recipients, per secret); `host`,
 * decrypting every entropy file (what any run reads, as the no-op floor) and decrypting and
 * re-encrypting the data files db01 is added to; `admin`, decrypting and re-encrypting every
 * entropy and data file once a second admin is added.
 */
export function writeJobs(n, root) {
  const entropy = (i) => join(root, "secrets/entropy", `${nameOf(i)}.age`);
  const data = (i) => join(root, "secrets/data", `${nameOf(i)}.age`);
  const to = (i, { rekey = false, admin = false } = {}) => [
    ADMIN,
    ...(admin ? [SECOND_ADMIN] : []),
    WEB01,
    ...(onDb01(i, rekey) ? [DB01] : []),
  ];
  const all = [...Array(n).keys()];
  const admins = [ADMIN, SECOND_ADMIN];
  return {
    first: {
      encrypt: all.flatMap((i) => [
        { bytes: 400, recipients: [ADMIN] },
        { bytes: 64, recipients: to(i) },
      ]),
    },
    host: {
      decrypt: all.map(entropy),
      rewrite: all
        .filter((i) => !onDb01(i, false))
        .map((i) => ({ file: data(i), recipients: to(i, { rekey: true }) })),
    },
    admin: {
      rewrite: all.flatMap((i) => [
        { file: entropy(i), recipients: admins },
        { file: data(i), recipients: to(i, { admin: true }) },
      ]),
    },
  };
}

/** How many secrets of each kind, and bcrypts paid by a first generate. */
export function census(n) {
  const counts = { random: 0, template: 0, json: 0 };
  for (let i = 0; i < n; i++) counts[kindOf(i)]++;
  return { ...counts, bcrypts: counts.template };
}
