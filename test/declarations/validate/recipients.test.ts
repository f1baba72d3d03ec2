/** Admins, hosts' keys, and a secret's hosts resolved to the recipients of its data file. */
import { describe, expect, it } from "vitest";
import {
  adminRecipients,
  hostKeys,
  secretRecipients,
} from "../../../src/declarations/validate/recipients.js";
import { ADMIN, WEB01, at, check } from "./support.js";

const top = { secret: null } as const;
const MALFORMED_AGE = "age1notbech32";
const malformed = (text: string) =>
  `malformed recipient "${text}": invalid bech32 (bad character, case or checksum)`;

describe("adminRecipients", () => {
  it("normalised (an SSH key's comment dropped), in the order given", () => {
    expect(check((a) => adminRecipients(a, [`${WEB01} root@web01`, ADMIN]), top)).toEqual({
      value: [WEB01, ADMIN],
      problems: [],
    });
  });

  it("none, or missing: at least one is required", () => {
    const needed = {
      secret: undefined,
      field: "admins",
      message: "needs at least one admin recipient",
      hint: "run `secretgen init` and add its recipient",
    };
    expect(check((a) => adminRecipients(a, []), top)).toEqual({ value: [], problems: [needed] });
    expect(check((a) => adminRecipients(a, undefined), top)).toEqual({
      value: [],
      problems: [needed],
    });
  });

  it("not a list; a bad recipient at its index, the good ones kept", () => {
    expect(check((a) => adminRecipients(a, ADMIN), top).problems).toEqual([
      { secret: undefined, field: "admins", message: "must be a list of strings, not a string" },
    ]);
    expect(check((a) => adminRecipients(a, [MALFORMED_AGE, ADMIN]), top)).toEqual({
      value: [ADMIN],
      problems: [{ secret: undefined, field: "admins[0]", message: malformed(MALFORMED_AGE) }],
    });
  });
});

describe("hostKeys", () => {
  it("each host's keys normalised, hosts sorted; null or [] is a host with no key yet", () => {
    const r = check((a) => hostKeys(a, { web01: [`${WEB01} c`], db01: null, app: [] }), top);
    expect(r.problems).toEqual([]);
    expect([...r.value]).toEqual([
      ["app", []],
      ["db01", []],
      ["web01", [WEB01]],
    ]);
  });

  it("no hosts: none", () => {
    expect([...check((a) => hostKeys(a, undefined), top).value]).toEqual([]);
  });

  it("rejected: not an object; a host's keys not a list; a bad key (left out)", () => {
    expect(check((a) => hostKeys(a, ["web01"]), top).problems).toEqual([
      { secret: undefined, field: "hosts", message: "must be an object, not a list" },
    ]);
    const r = check((a) => hostKeys(a, { web01: WEB01, db01: [MALFORMED_AGE, ADMIN] }), top);
    expect([...r.value]).toEqual([
      ["db01", [ADMIN]],
      ["web01", []],
    ]);
    expect(r.problems).toEqual([
      { secret: undefined, field: "hosts.db01[0]", message: malformed(MALFORMED_AGE) },
      {
        secret: undefined,
        field: "hosts.web01",
        message: "must be a list of strings, not a string",
      },
    ]);
  });
});

describe("secretRecipients", () => {
  const hosts = new Map([
    ["web01", [WEB01]],
    ["db01", []],
  ]);
  const resolve = (raw: unknown, admins = [ADMIN]) =>
    check((a) => secretRecipients(a, raw, hosts, admins));

  it("no hosts: the admins only", () => {
    expect(resolve(undefined)).toEqual({ value: { hosts: [], recipients: [ADMIN] }, problems: [] });
  });

  it("host names give their keys; a host with no key gives none; sorted, each once", () => {
    expect(resolve(["web01", "db01"], [WEB01, ADMIN]).value).toEqual({
      hosts: ["web01", "db01"],
      recipients: [ADMIN, WEB01],
    });
  });

  it("a literal recipient (age1…, or with a space) stands for itself, normalised", () => {
    expect(resolve([`${WEB01} a comment`, ADMIN], []).value).toEqual({
      hosts: [`${WEB01} a comment`, ADMIN],
      recipients: [ADMIN, WEB01],
    });
  });

  it("rejected: an unknown host (with a hint), a malformed literal, a list that is not one", () => {
    expect(resolve(["web02", MALFORMED_AGE, "web01"])).toEqual({
      value: { hosts: ["web02", MALFORMED_AGE, "web01"], recipients: [ADMIN, WEB01] },
      problems: [
        at("hosts[0]", 'unknown host "web02"', "declare it under hosts, or give a recipient"),
        at("hosts[1]", malformed(MALFORMED_AGE)),
      ],
    });
    expect(resolve("web01")).toEqual({
      value: { hosts: undefined, recipients: [ADMIN] },
      problems: [at("hosts", "must be a list of strings, not a string")],
    });
  });
});
