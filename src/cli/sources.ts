/**
 * The options that say where the declarations are (`--config`, `--nix`, `--nix-attr`), checked
 * and turned into the DeclarationSource the declarations layer takes.
 */
import type { DeclarationSource } from "../declarations/index.js";
import { quote, usageError } from "../errors.js";

export interface SourceOptions {
  config?: string | undefined;
  nix?: string | undefined;
  nixAttr?: string | undefined;
}

/** Where the declarations come from. Throws a usage error (exit 2) for options that clash. */
export function declarationSource(opts: SourceOptions): DeclarationSource {
  const { config, nix, nixAttr } = opts;
  if (nix !== undefined) {
    if (config !== undefined) throw usageError("give either --config or --nix, not both");
    if (nix === "")
      throw usageError("--nix needs a flake reference (FLAKEREF#ATTR) or a .nix file");
    if (nix.includes("#") && nixAttr !== undefined) {
      throw usageError(
        `--nix-attr goes with --nix FILE.nix; a flake reference names its attribute after "#"`,
        { hint: `use --nix ${nix.split("#")[0] ?? ""}#ATTR` },
      );
    }
    if (nixAttr !== undefined && (nixAttr === "" || nixAttr.startsWith("-"))) {
      throw usageError(`invalid --nix-attr ${quote(nixAttr)}`);
    }
    return { from: "nix", ref: nix, attr: nixAttr };
  }
  if (nixAttr !== undefined) throw usageError("--nix-attr goes with --nix FILE.nix");
  if (config === "-") return { from: "stdin" };
  return { from: "file", path: config };
}
