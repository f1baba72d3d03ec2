/**
 * The hints that name the CLI's own options. Below src/cli/ errors say what went wrong and, in
 * their `reason`, what kind of failure it is; here the reasons that a command-line option can
 * fix get a hint naming it. Everything else keeps the hint it came with.
 */
import { SecretgenError } from "../errors.js";

export interface HintContext {
  /** `--wait SECONDS` as given (0 or undefined: the run did not wait). */
  wait?: number | undefined;
}

const GIVE_IDENTITY = "is the right identity given (-i)?";

/** The hint to print for `err` on the command line. */
export function cliHint(err: SecretgenError, ctx: HintContext = {}): string | undefined {
  const hint = err.hint;
  switch (err.reason) {
    case "lock-held":
      return (ctx.wait ?? 0) > 0
        ? `pass a longer --wait SECONDS${hint === undefined ? "" : `; ${hint}`}`
        : "wait for it to finish, or pass --wait SECONDS to wait for it";
    case "no-root":
      return hint === undefined
        ? undefined
        : hint.replace(/^run in your repository/, "$&, or pass --root DIR");
    case "no-declarations":
      return `${hint ?? "declare secrets in secrets/secrets.json"}, or pass --config FILE or --nix REF`;
    case "nix-not-declarations":
      return "point --nix at the attribute holding the declarations (FLAKEREF#secretgen, or FILE.nix with --nix-attr)";
    case "nix-unavailable":
      return `${hint ?? "install Nix"}, or give JSON declarations with --config FILE`;
    case "changed-outside":
      return err.secret === undefined
        ? hint
        : `${hint ?? "restore it from git"}, \`secretgen adopt ${err.secret} --from DIR\` keeps the new one`;
    case "not-admin":
      return hint?.replace(/^use an admin's identity/, "pass -i FILE with an admin's identity");
    default:
      return isNoIdentity(err) && hint !== undefined && !hint.includes("(-i)")
        ? `${hint}; ${GIVE_IDENTITY}`
        : hint;
  }
}

/**
 * An age file no identity given opened (the error itself or the one it wraps). By name, not
 * `instanceof AgeError`: this module loads on every start, the age layer only when needed.
 */
function isNoIdentity(err: SecretgenError): boolean {
  for (let e: unknown = err; e instanceof SecretgenError; e = e.cause) {
    if (e.name === "AgeError") return (e as { kind?: unknown }).kind === "no-identity";
  }
  return false;
}
