/**
 * Running one validator directly: a fresh problem list, an `At` for secret `s` (optionally under
 * a prefix), and the problems it reported as plain { secret, field, message, hint } rows.
 */
import { Problems } from "../../../src/declarations/problems.js";
import { At } from "../../../src/declarations/validate/at.js";

/** Recipients that parse (the worked example's demo admin and web01's host key). */
export const ADMIN = "age1pmrnxfflaurx5pqrutxd6f3pdh3vsnzr3lu0s85zdn8av0gnyysqvws06t";
export const WEB01 =
  "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIE9Z90TKynH0EoZu3+Z93TDb8vzv7rn/FLjeL4e4uU/n";

export interface Reported {
  secret: string | undefined;
  field: string | undefined;
  message: string;
  hint?: string;
}

/** What `run` returned and every problem it reported, in order. */
export function check<T>(
  run: (at: At) => T,
  opts: { secret?: string | null; prefix?: string } = {},
): { value: T; problems: Reported[] } {
  const problems = new Problems();
  const secret = opts.secret === null ? undefined : (opts.secret ?? "s");
  const at = new At(problems, secret, opts.prefix ?? "");
  const value = run(at);
  return {
    value,
    problems: problems.list.map((e) => ({
      secret: e.secret,
      field: e.field,
      message: e.message,
      ...(e.hint === undefined ? {} : { hint: e.hint }),
    })),
  };
}

/** The one problem a validator reported for secret `s` (fails when there are none or more). */
export function only(r: { problems: Reported[] }): Reported {
  if (r.problems.length !== 1)
    throw new Error(`expected one problem, got ${JSON.stringify(r.problems)}`);
  return r.problems[0] as Reported;
}

/** A problem of secret `s` at `field`. */
export function at(field: string, message: string, hint?: string): Reported {
  return { secret: "s", field, message, ...(hint === undefined ? {} : { hint }) };
}
