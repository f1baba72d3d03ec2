/** What validation is given from outside (template files, the engine's checks), and spellings. */
import type { TemplateEngine } from "../types.js";

export interface ValidateOptions {
  /** Contents of templates/REL with \r\n normalised, or undefined when it does not exist. */
  readTemplate: (rel: string) => string | undefined;
  /**
   * Check a template without rendering it (syntax, unknown helpers, literal arguments); throws
   * a SecretgenError. Omitted only by `status` without a key.
   */
  checkTemplate?: (source: string, secret: string, engine: TemplateEngine) => void;
  /**
   * Walk a JSON generator's content as a render would, without drawing or reading anything
   * (marker shapes, literal arguments); throws a SecretgenError. `field` is `json.content`.
   */
  checkJson?: (content: unknown, secret: string, field: string) => void;
}

/**
 * How a generator was spelled: natively (`random = { … }`) or in ASG's form
 * (`generation.random = { … }`), whose defaults differ: a `random` without any alphabet uses all
 * four character classes, and a `template` is a Go template unless it says otherwise.
 */
export type Spelling = "native" | "generation";
