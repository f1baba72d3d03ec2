export {
  loadDeclarations,
  parseJson,
  type DeclarationPaths,
  type DeclarationSource,
  type LoadOptions,
} from "./load.js";
export { validateDeclarations, type ValidateOptions } from "./validate/index.js";
export { CheckLoading } from "./check-loading.js";
export { DeclarationError } from "./problems.js";
export { compareNames, nameProblem } from "./names.js";
export { declarationHash } from "./hash.js";
export { declarationWarnings } from "./warnings.js";
export * from "./limits.js";
export * from "./types.js";
