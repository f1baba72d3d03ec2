/**
 * Go text/template syntax in a handlebars template (`{{ range .xs }}`, `{{ .name }}`,
 * `{{ end }}`) fails in handlebars with a message about something else ("xs" is not defined,
 * although it is). When the failing template has Go syntax, the error says so.
 */
import { SecretgenError } from "../../../errors.js";

const GO_ACTION = /\{\{-?\s*(range|with|end|define|block|template|else if)\b|\{\{-?\s*\.[A-Za-z_]/;

/** The first Go construct in `source` (`range`, `.field`…), or undefined. */
export function goConstruct(source: string): string | undefined {
  const m = GO_ACTION.exec(source);
  if (m === null) return undefined;
  return m[1] ?? "a leading-dot field (.name)";
}

/** `err` with a hint about Go syntax when `source` has some; `err` itself otherwise. */
export function withGoHint(err: SecretgenError, source: string): SecretgenError {
  const construct = goConstruct(source);
  if (construct === undefined || err.hint !== undefined) return err;
  const what = construct.startsWith("a ") ? construct : `\`${construct}\``;
  return new SecretgenError(err.message, {
    exitCode: err.exitCode,
    secret: err.secret,
    field: err.field,
    cause: err,
    hint: `the template uses ${what}, which is Go text/template syntax, and it is rendered as handlebars: write {{#each xs}}…{{/each}}, {{#with x}}…{{/with}} and {{name}} (no leading dot), or set the template's engine to "go"`,
  });
}
