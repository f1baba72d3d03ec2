/**
 * Plugin recipients (`age1NAME1…`) and identities (`AGE-PLUGIN-NAME-1…`), as C2SP's
 * age-plugin.md maps them to the binary `age-plugin-NAME`: Bech32 with one case throughout,
 * NAME of letters, digits and `- _ . +` (never a path separator).
 */
import { bech32Decode } from "./bech32.js";

const NAME = /^[A-Za-z0-9._+-]+$/;

/** Why a plugin encoding is invalid (public facts only), or the plugin's lowercase name. */
export type PluginParse = { name: string } | { error: string };

/** Whether `name` is a valid plugin name. */
export function validPluginName(name: string): boolean {
  return NAME.test(name);
}

/** The binary a plugin name maps to. */
export function pluginBinary(name: string): string {
  return `age-plugin-${name}`;
}

/**
 * The plugin of an `age1NAME1…` recipient whose human-readable part is not `age` itself.
 * Recipients are lowercase Bech32.
 */
export function parsePluginRecipient(text: string): PluginParse {
  const d = bech32Decode(text);
  if (d === null) return { error: "invalid bech32 (bad character, case or checksum)" };
  if (d.hrp !== d.hrp.toLowerCase()) return { error: "a plugin recipient is lowercase" };
  if (!d.hrp.startsWith("age1")) return { error: "not a plugin recipient (age1NAME1…)" };
  const name = d.hrp.slice(4);
  if (!validPluginName(name)) return { error: "invalid plugin name" };
  return { name };
}

/** The plugin of an `AGE-PLUGIN-NAME-1…` identity (uppercase Bech32), in lowercase. */
export function parsePluginIdentity(text: string): PluginParse {
  const d = bech32Decode(text);
  if (d === null) return { error: "invalid bech32 (bad character, case or checksum)" };
  if (d.hrp !== d.hrp.toUpperCase()) return { error: "a plugin identity is uppercase" };
  if (!d.hrp.startsWith("AGE-PLUGIN-") || !d.hrp.endsWith("-") || d.hrp.length < 13) {
    return { error: "not a plugin identity (AGE-PLUGIN-NAME-1…)" };
  }
  const name = d.hrp.slice(11, -1);
  if (!validPluginName(name)) return { error: "invalid plugin name" };
  return { name: name.toLowerCase() };
}
