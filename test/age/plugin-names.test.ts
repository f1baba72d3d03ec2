/**
 * Plugin recipients and identities: the plugin name from Bech32 (checked against @scure/base's
 * independent decoder), the case rules, and invalid names refused.
 */
import { inspect } from "node:util";
import { bech32 } from "@scure/base";
import { describe, expect, it } from "vitest";
import { bech32Encode } from "../../src/age/bech32.js";
import {
  parsePluginIdentity,
  parsePluginRecipient,
  validPluginName,
} from "../../src/age/plugin-names.js";
import { parseIdentities, parseRecipient } from "../../src/age/index.js";

const data = Uint8Array.from({ length: 33 }, (_, i) => i * 7);

describe("plugin recipients", () => {
  it.each(["yubikey", "se", "tpm", "fido2-hmac", "my.plugin_1+x"])(
    "age1%s1… names the plugin",
    (name) => {
      const text = bech32Encode(`age1${name}`, data);
      // The independent decoder agrees on the human-readable part and the data.
      const oracle = bech32.decode(text as `${string}1${string}`, false);
      expect(oracle.prefix).toBe(`age1${name}`);
      expect(Buffer.from(bech32.fromWords(oracle.words)).equals(Buffer.from(data))).toBe(true);
      expect(parsePluginRecipient(text)).toEqual({ name });
      expect(parseRecipient(text)).toEqual({ type: "plugin", text });
    },
  );

  it("refuses upper case, bad checksums and invalid names, quoting the value", () => {
    const good = bech32Encode("age1sgtest", data);
    expect(parsePluginRecipient(good.toUpperCase())).toEqual({
      error: "a plugin recipient is lowercase",
    });
    const broken = good.slice(0, -1) + (good.endsWith("q") ? "p" : "q");
    expect(parsePluginRecipient(broken)).toHaveProperty("error");
    const pwn = bech32Encode("age1pwn/pwn", data);
    expect(parsePluginRecipient(pwn)).toEqual({ error: "invalid plugin name" });
    expect(() => parseRecipient(pwn)).toThrow(`malformed recipient "${pwn}": invalid plugin name`);
  });
});

describe("plugin identities", () => {
  it("AGE-PLUGIN-NAME-1… names the plugin in lower case", () => {
    const text = bech32Encode("age-plugin-yubikey-", data).toUpperCase();
    const oracle = bech32.decode(text as `${string}1${string}`, false);
    expect(oracle.prefix).toBe("age-plugin-yubikey-"); // the oracle gives it in lower case
    expect(Buffer.from(bech32.fromWords(oracle.words)).equals(Buffer.from(data))).toBe(true);
    expect(parsePluginIdentity(text)).toEqual({ name: "yubikey" });
  });

  it("refuses lower case, other prefixes and invalid names", () => {
    const lower = bech32Encode("age-plugin-yubikey-", data);
    expect(parsePluginIdentity(lower)).toEqual({ error: "a plugin identity is uppercase" });
    expect(parsePluginIdentity(bech32Encode("age-secret-key-", data).toUpperCase())).toHaveProperty(
      "error",
    );
    expect(parsePluginIdentity(bech32Encode("age-plugin--", data).toUpperCase())).toHaveProperty(
      "error",
    );
    expect(parsePluginIdentity(bech32Encode("age-plugin-a/b-", data).toUpperCase())).toEqual({
      error: "invalid plugin name",
    });
  });

  it("identity files hold plugin identities beside AGE-SECRET-KEY-1 lines, never printed", async () => {
    const plugin = bech32Encode("age-plugin-sgtest-", data).toUpperCase();
    const native = bech32Encode("age-secret-key-", new Uint8Array(32).fill(9)).toUpperCase();
    const ids = await parseIdentities(`# admin\n${plugin}\n${native}\n`, {
      source: "keys.txt",
      passphrase: () => Promise.reject(new Error("not asked")),
    });
    expect(ids.map((i) => [i.type, i.source])).toEqual([
      ["plugin", "keys.txt:2"],
      ["x25519", "keys.txt:3"],
    ]);
    expect(JSON.stringify(ids)).not.toContain(plugin);
    expect(inspect(ids)).not.toContain(plugin);
  });

  it("plugin names: letters, digits and - _ . + only", () => {
    expect(validPluginName("a-b_c.d+e9")).toBe(true);
    for (const bad of ["", "a/b", "a b", "a\\b", "é"]) expect(validPluginName(bad)).toBe(false);
  });
});
