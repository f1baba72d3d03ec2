/** Reading one of a secret's files: a failure to read it names the secret. */
import { SecretgenError, runtimeError } from "../errors.js";

/** `read()`, whose failure (a file that cannot be read: permissions, a directory) names `name`. */
export function reading<T>(name: string, read: () => T): T {
  try {
    return read();
  } catch (err) {
    if (!(err instanceof SecretgenError) || err.secret !== undefined) throw err;
    throw runtimeError(err.message, { secret: name, reason: err.reason, cause: err });
  }
}
