import { describe, expect, it } from "vitest";
import { AgeError, noIdentityError } from "../../src/age/errors.js";
import { runtimeError, usageError, type ErrorReason } from "../../src/errors.js";
import { cliHint } from "../../src/cli/hints.js";

const err = (reason: ErrorReason, hint?: string) =>
  reason === "no-root" || reason === "no-declarations" || reason === "nix-not-declarations"
    ? usageError("x", { reason, hint })
    : runtimeError("x", { reason, hint, secret: "pw" });

describe("cliHint: the hints that name the CLI's options", () => {
  it.for([
    ["lock-held", undefined, {}, "wait for it to finish, or pass --wait SECONDS to wait for it"],
    [
      "lock-held",
      "if pid 7 is not a secretgen run, remove /r/secrets/.secretgen.lock",
      { wait: 2 },
      "pass a longer --wait SECONDS; if pid 7 is not a secretgen run, remove /r/secrets/.secretgen.lock",
    ],
    [
      "no-root",
      "run in your repository; `secretgen init` starts a tree here",
      {},
      "run in your repository, or pass --root DIR; `secretgen init` starts a tree here",
    ],
    [
      "no-declarations",
      "declare secrets in secrets/secrets.json",
      {},
      "declare secrets in secrets/secrets.json, or pass --config FILE or --nix REF",
    ],
    [
      "nix-not-declarations",
      "evaluate the attribute that holds the declarations",
      {},
      "point --nix at the attribute holding the declarations (FLAKEREF#secretgen, or FILE.nix with --nix-attr)",
    ],
    [
      "nix-unavailable",
      "install Nix (https://nixos.org/download)",
      {},
      "install Nix (https://nixos.org/download), or give JSON declarations with --config FILE",
    ],
    [
      "not-admin",
      "use an admin's identity, or have an admin add yours",
      {},
      "pass -i FILE with an admin's identity, or have an admin add yours",
    ],
    ["io", "check the disk", {}, "check the disk"],
    [
      "changed-outside",
      "restore it from git; `secretgen rotate pw` makes a new value",
      {},
      "restore it from git; `secretgen rotate pw` makes a new value, `secretgen adopt pw --from DIR` keeps the new one",
    ],
    ["runtime", undefined, {}, undefined],
  ] as const)("%s (hint %j, %j) → %j", ([reason, hint, ctx, want]) => {
    expect(cliHint(err(reason, hint), ctx)).toBe(want);
  });

  it("asks for the right identity when no identity opened an age file, also wrapped", () => {
    const age = noIdentityError(["X25519"], ["ssh-ed25519"]);
    expect(age).toBeInstanceOf(AgeError);
    expect(age.hint).toBe("tried 1 identity (ssh-ed25519)");
    expect(cliHint(age)).toBe("tried 1 identity (ssh-ed25519); is the right identity given (-i)?");
    const wrapped = runtimeError("cannot decrypt its entropy file: no identity matched", {
      secret: "db",
      hint: age.hint,
      cause: age,
    });
    expect(cliHint(wrapped)).toBe(
      "tried 1 identity (ssh-ed25519); is the right identity given (-i)?",
    );
    // Other age failures keep their hint as it is.
    const mac = new AgeError("header-mac", "header MAC mismatch", { hint: "restore it" });
    expect(cliHint(mac)).toBe("restore it");
  });
});
