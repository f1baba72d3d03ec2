/**
 * The age layer of secretgen: recipients, identities and key files, encryption and decryption
 * (with a node:crypto fast path). The only public face of src/age.
 */
export type { Identity } from "./identity.js";
export type { Recipient } from "./recipients.js";
export { parseRecipient, shortRecipient } from "./recipients.js";
export {
  parseIdentities,
  identityRecipient,
  generateX25519Identity,
  serializeIdentity,
  deserializeIdentity,
} from "./identities.js";
export { loadIdentityFile } from "./load.js";
export { isPluginIdentity } from "./plugin-identity.js";
export { encrypt } from "./encrypt.js";
export { fastEncrypt } from "./writer.js";
export { decrypt } from "./decrypt.js";
export { fastDecrypt } from "./fastpath.js";
export { AgeError, type AgeErrorKind } from "./errors.js";
export { bech32Encode } from "./bech32.js";
export type { DecryptSession } from "./plugin-decrypt.js";
export type { EncryptJob } from "./plugin-encrypt.js";
/** The plugin sessions (plugins.ts), loaded on first use: only plugin users pay for them. */
export const agePlugins = () => import("./plugins.js");
export { pluginError } from "./plugin-errors.js";
export { pluginBinary } from "./plugin-names.js";
export { type PluginUI, headlessUI, setPluginUI } from "./plugin-ui.js";
