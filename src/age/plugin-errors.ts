/**
 * Errors that name a plugin, and a plugin's own text made safe to show in them.
 */
import { AgeError } from "./errors.js";
import { pluginBinary } from "./plugin-names.js";

/** An error of the plugin `name`. */
export function pluginError(name: string, message: string, hint?: string): AgeError {
  return new AgeError("plugin", `${pluginBinary(name)} ${message}`, hint ? { hint } : {});
}

/** A plugin's text (messages, errors) made safe to show: no control characters, bounded. */
export function pluginText(body: Uint8Array): string {
  const s = Buffer.from(body).toString("utf8");
  // eslint-disable-next-line no-control-regex
  const clean = s.replace(/[\u0000-\u001f\u007f-\u009f]/g, " ").trim();
  return clean.length > 500 ? `${clean.slice(0, 500)}…` : clean;
}
