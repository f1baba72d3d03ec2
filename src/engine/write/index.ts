/**
 * Writing a run's results, the public face: apply.ts encrypts what the plans write, journals,
 * writes in order, records the manifest and clears the journal; store-values.ts stores values
 * given by the user (`set`, `adopt`) through the same path.
 */
export { commitPlans, writeManifest, type FileHashes } from "./apply.js";
export { storeValues, type ValueToStore } from "./store-values.js";
