/**
 * The plugin protocol's client sessions, loaded on first use through index.ts's `agePlugins`:
 * they bring the plugin processes (and execa), which only plugin users pay for.
 */
export { DecryptSession } from "./plugin-decrypt.js";
export { encryptBatch, type EncryptJob } from "./plugin-encrypt.js";
