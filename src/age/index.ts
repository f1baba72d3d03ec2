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
