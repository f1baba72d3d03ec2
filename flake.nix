# secretgen's flake: the Nix library, the NixOS module, and this repository's worked example.
# No inputs (no nixpkgs): it evaluates offline, and `secretgen` is system-independent.
#
#   nix --extra-experimental-features 'nix-command flakes' eval --json .#secretgen
#   secretgen --nix .#secretgen check --offline
#
# In a monorepo: `inputs.secretgen.url = …;`, then `inputs.secretgen.lib` (nix/lib.nix) and
# `inputs.secretgen.nixosModules.default` (nix/module.nix, next to agenix's module). When
# script runtimeInputs are functions of pkgs, expose the declarations per system, e.g.
# `secretgen.x86_64-linux = lib.collectDeclarations { pkgs = nixpkgs.legacyPackages.x86_64-linux; … }`
# and run `secretgen --nix .#secretgen.x86_64-linux`.
{
  description = "secretgen: deterministic, replayable agenix secrets (Nix library and NixOS module)";

  outputs =
    { self }:
    {
      lib = import ./nix/lib.nix;

      # Modules, not bare paths: `nix flake check` wants a function or an attribute set.
      nixosModules.default = self.nixosModules.secretgen;
      nixosModules.secretgen = {
        imports = [ ./nix/module.nix ];
      };

      # The worked example's declarations (DEMO ONLY keys): equal to secrets/secrets.json.
      secretgen = import ./nix/example;
    };
}
