# The worked example again, declared the monorepo way: each host's NixOS configuration says
# which secrets it reads (nix/module.nix), and lib.collectDeclarations gathers them into the
# document secretgen reads. In a flake:
#
#   nixosConfigurations.web01 = nixpkgs.lib.nixosSystem {
#     modules = [ agenix.nixosModules.default secretgen.nixosModules.default example.hosts.web01 … ];
#   };
#   secretgen = secretgen.lib.collectDeclarations {
#     inherit (example) admins;
#     hosts = { inherit (self.nixosConfigurations) web01 db01; };
#   };
#
# That document equals secrets/secrets.json except for the order of `hosts` lists (collected
# hosts come in name order: "postgres/app-password" gets [ "db01" "web01" ]). The test suite
# evaluates these modules against a stub of nixpkgs' lib (there is no nixpkgs offline).
#
# DEMO ONLY: the host keys are the throwaway keys of test/fixtures/keys/.
let
  sg = import ../lib.nix;
  keys = ../../test/fixtures/keys;
  dataDir = ../../secrets/data;

  # Declared by both hosts, identically: one secret readable by both.
  postgresPassword = {
    owner = "postgres";
    group = "postgres";
    mode = "0440";
    random = {
      length = 40;
      charset = "alnum";
    };
  };

  wireguardKey = {
    owner = "systemd-network";
    mode = "0400";
    wireguard = { };
  };
in
{
  admins = [ "age1pmrnxfflaurx5pqrutxd6f3pdh3vsnzr3lu0s85zdn8av0gnyysqvws06t" ];

  hosts = {
    web01 =
      { ... }:
      {
        secretgen = {
          hostKey = sg.recipientFile (keys + "/web01_ssh_host_ed25519_key.pub");
          inherit dataDir;
          secrets = {
            "user-passwords/alice".random.length = 24;
            "user-passwords/bob".random = {
              length = 24;
              charsets.special = false;
            };
            "postgres/app-password" = postgresPassword;
            "nginx/htpasswd" = {
              owner = "nginx";
              group = "nginx";
              mode = "0440";
              template = {
                file = "htpasswd.hbs";
                data.users = [
                  "alice"
                  "bob"
                ];
              };
            };
            "app/env" = {
              owner = "app";
              path = "/run/app/env";
              template.content = ''
                DATABASE_URL=postgres://app:{{secret "postgres/app-password"}}@db01/app
                SESSION_SECRET={{random 48 charset="base64url"}}
              '';
            };
            "grafana/config" = {
              owner = "grafana";
              json.content =
                { jsonLib, ... }:
                {
                  security = {
                    admin_user = "admin";
                    admin_password = jsonLib.secret "user-passwords/alice";
                    secret_key = jsonLib.random 32 { charset = "hex"; };
                  };
                  auth.basic_hash = jsonLib.bcrypt (jsonLib.secret "user-passwords/bob") 10;
                };
            };
            "app/cookie-key".random = {
              bytes = 32;
              encoding = "base64";
            };
            "wireguard/web01" = wireguardKey;
            "ssh/deploy-key".ssh-ed25519 = { };
            "app/api-token-digest".script = {
              script = ''
                sha256sum < "$SECRETS_DIR/github/token" | cut -d" " -f1
              '';
              runtimeInputs = [ "/usr" ];
              runtimeInputNames = [ "coreutils" ];
              dependencies = [ "github/token" ];
            };
            "github/token".manual = { };
          };
        };
      };

    db01 =
      { ... }:
      {
        secretgen = {
          hostKey = sg.recipientFile (keys + "/db01_ssh_host_rsa_key.pub");
          inherit dataDir;
          secrets = {
            "postgres/app-password" = postgresPassword;
            "wireguard/db01" = wireguardKey;
            "backup/age-key".age = { };
          };
        };
      };
  };
}
