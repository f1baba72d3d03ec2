/**
 * Why a secret has its state: one wording per situation, shared by the run with a key and by
 * `check --offline`, so both say the same thing for the same situation.
 */
/** A declared secret's name, in full (names are at most 200 characters). */
const quote = (name: string) => JSON.stringify(name);

export const REASONS = {
  /** No files and no manifest entry. */
  new: "never generated",
  rotated: "rotated",
  set: "set",
  manualNotSet: "manual secret not set",
  manualDataMissing: "manual secret's data file is missing; set it again",
  setOutside: "set outside secretgen",
  declarationChanged: "declaration changed",
  adoptedDeclarationChanged: "declaration changed (was adopted)",
  declarationMoved: "declaration changed, value unchanged",
  recipientsChanged: "recipients changed",
  adminsChanged: "admins changed",
  notInManifest: "not in the manifest",
  dataMissing: "data file is missing",
  scriptDataMissing: "data file is missing (scripts cannot be replayed)",
  dataRestored: "data file restored",
  entropyMissing: "entropy file is missing",
  interrupted: "an interrupted run did not finish it",
  scriptInterrupted: "an interrupted run did not finish it (scripts cannot be replayed)",
  /** offline: the ciphertext hash moved; whether the value did needs a key. */
  dataChangedOutside: "data file changed outside secretgen",
  entropyChangedOutside: "entropy file changed outside secretgen",
  entropyReplaced:
    "entropy file changed outside secretgen (manifest.json names another one); nothing is replayed from it or written",
  reencryptedOutside: "data file re-encrypted outside secretgen (value unchanged)",
  reencryptedOutsideRekeyed:
    "data file re-encrypted outside secretgen (value unchanged); encrypted to its recipients again",
  drift:
    "the recorded entropy renders a different value though nothing changed (drift); the old value is kept",
  driftExhausted:
    "the recorded entropy ran out though nothing changed (drift); the old value is kept",
  orphan: "no longer declared; `secretgen prune` removes its files",
} as const;

/** A secret it reads has another value than the one recorded. */
export const depChanged = (dep: string) => `${quote(dep)} changed`;
export const readsChanging = (dep: string) => `reads ${quote(dep)}, which will change`;
export const readsValueless = (dep: string) => `reads ${quote(dep)}, which has no value yet`;
export const readsFailed = (dep: string) => `reads ${quote(dep)}, which failed`;
export const readsDrifted = (dep: string) => `reads ${quote(dep)}, which drifted`;
export const readsSkipped = (dep: string) => `reads ${quote(dep)}, which was skipped`;
export const readsUndeclared = (dep: string) => `reads ${quote(dep)}, which is no longer declared`;
/** `file` is relative to secrets/public/ (`k.pub`, `app.d/cert.pem`). */
export const publicMissing = (file: string) => `public file ${file} is missing`;
export const publicChanged = (file: string) => `public file ${file} changed`;
export const publicUnrecorded = (file: string) => `public file ${file} is not in the manifest`;
