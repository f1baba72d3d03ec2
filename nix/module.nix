# secretgen's NixOS module: the provider side of the secret-file contract (owner, group, mode,
# path) for agenix. Import it next to agenix's module:
#
#   imports = [ agenix.nixosModules.default secretgen.nixosModules.default ];
#   secretgen.hostKey = secretgen.lib.recipientFile ./secrets/hosts/web01.pub;
#   secretgen.dataDir = ./secrets/data;
#   secretgen.secrets."grafana/config" = {
#     owner = "grafana";
#     json.content = { jsonLib, ... }: { admin_password = jsonLib.secret "user-passwords/alice"; };
#   };
#
# Each secret gets `age.secrets.<name>` (file = dataDir + "/<name>.age", and owner/group/mode/
# path when set). The generators are not used on the host: `lib.collectDeclarations` gathers
# every host's `secretgen` settings into the document `secretgen --nix` reads.
#
# A thin layer over nix/lib.nix (pure and tested); it uses only lib.mkOption and lib.types
# (attrsOf, submodule, nullOr, either, listOf, attrs, str, bool, path).
{ config, lib, ... }:
let
  sg = import ./lib.nix;
  inherit (lib) mkOption types;
  cfg = config.secretgen;

  optionalStr =
    description:
    mkOption {
      type = types.nullOr types.str;
      default = null;
      inherit description;
    };

  generatorOption = kind: {
    name = kind;
    value = mkOption {
      type = types.nullOr types.attrs;
      default = null;
      description = "The `${kind}` generator's settings, as in the JSON declarations (exactly one generator per secret).";
    };
  };

  secretOptions = {
    options = {
      owner = optionalStr "Owner of the decrypted file (agenix default: root).";
      group = optionalStr "Group of the decrypted file (agenix default: root).";
      mode = optionalStr "Mode of the decrypted file, e.g. \"0440\" (agenix default: 0400).";
      path = optionalStr "Where the decrypted file appears (agenix default: /run/agenix/<name>).";
      armor = mkOption {
        type = types.bool;
        default = false;
        description = "Write the data file ASCII-armored. Must agree on every host declaring the secret.";
      };
    }
    // {
      generation = mkOption {
        type = types.nullOr types.attrs;
        default = null;
        description = "ASG's spelling: `generation.<kind> = { … }` instead of `<kind> = { … }` (one generator per secret, whichever spelling; a random string uses all four character classes by default, a template is a Go template).";
      };
    }
    // builtins.listToAttrs (map generatorOption sg.generatorKinds);
  };
in
{
  options.secretgen = {
    secrets = mkOption {
      type = types.attrsOf (types.submodule secretOptions);
      default = { };
      description = "Secrets this host reads, by name (`user-passwords/alice`): one generator each, plus this host's owner/group/mode/path.";
    };

    hostKey = mkOption {
      type = types.nullOr (types.either types.str (types.listOf types.str));
      default = null;
      description = "This host's public key(s) (ssh-ed25519, ssh-rsa or age1…); null while not known yet.";
    };

    dataDir = mkOption {
      type = types.path;
      description = "The secrets/data directory holding NAME.age (e.g. ./secrets/data).";
    };
  };

  config.age.secrets = sg.hostAgeSecrets { inherit (cfg) secrets dataDir; };
}
