/**
 * The JSON data as a handlebars template sees it: objects on DATA_PROTO, keys inserted sorted.
 */
import { defineKey, isRecord, sortedKeys } from "../../functions/index.js";

/**
 * The prototype of data objects: no string-keyed members (so `{{constructor}}` is a missing
 * field, not Object's), only a text form, "[object Object]" as for any object in handlebars.
 */
const DATA_PROTO = Object.freeze(
  Object.create(null, { [Symbol.toPrimitive]: { value: () => "[object Object]" } }) as object,
);

export function templateData(value: unknown): unknown {
  if (Array.isArray(value)) return (value as unknown[]).map(templateData);
  if (!isRecord(value)) return value;
  const out = Object.create(DATA_PROTO) as Record<string, unknown>;
  for (const key of sortedKeys(value)) defineKey(out, key, templateData(value[key]));
  return out;
}
