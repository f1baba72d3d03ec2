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
export { FUNCTION_NAME_LIST, isKnownFunction } from "./function-names.js";
export { sortedNames } from "./names.js";
export {
  type Declarations,
  GENERATOR_KINDS,
  type GeneratorKind,
  type GeneratorSpec,
  type JsonSpec,
  type KeypairSpec,
  type RandomSpec,
  type ScriptSpec,
  type SecretDecl,
  type TemplateEngine,
  type TemplateSpec,
  generatorField,
} from "./types.js";
