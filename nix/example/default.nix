# The worked example of this repository (the demo hosts web01 and db01), declared in Nix.
# Evaluates to exactly secrets/secrets.json:
#
#   nix-instantiate --eval --strict --json nix/example/default.nix
#   nix --extra-experimental-features 'nix-command flakes' eval --json .#secretgen
#   secretgen --nix nix/example/default.nix check --offline
#
# DEMO ONLY: the host keys are the throwaway keys of test/fixtures/keys/.
let
  sg = import ../lib.nix;
  keys = ../../test/fixtures/keys;
in
sg.mkDeclarations {
  # The demo admin (test/fixtures/keys/admin.key).
  admins = [ "age1pmrnxfflaurx5pqrutxd6f3pdh3vsnzr3lu0s85zdn8av0gnyysqvws06t" ];

  hosts = {
    web01 = sg.recipientFile (keys + "/web01_ssh_host_ed25519_key.pub");
    db01 = sg.recipientFile (keys + "/db01_ssh_host_rsa_key.pub");
  };

  secrets = {
    "user-passwords/alice" = {
      hosts = [ "web01" ];
      random.length = 24;
    };

    "user-passwords/bob" = {
      hosts = [ "web01" ];
      random = {
        length = 24;
        charsets.special = false;
      };
    };

    "postgres/app-password" = {
      hosts = [
        "web01"
        "db01"
      ];
      owner = "postgres";
      group = "postgres";
      mode = "0440";
      random = {
        length = 40;
        charset = "alnum";
      };
    };

    "nginx/htpasswd" = {
      hosts = [ "web01" ];
      owner = "nginx";
      group = "nginx";
      mode = "0440";
      # templates/htpasswd.hbs, read by secretgen (its content enters the declaration hash).
      template = {
        file = "htpasswd.hbs";
        data.users = [
          "alice"
          "bob"
        ];
      };
    };

    "app/env" = {
      hosts = [ "web01" ];
      owner = "app";
      path = "/run/app/env";
      template.content = ''
        DATABASE_URL=postgres://app:{{secret "postgres/app-password"}}@db01/app
        SESSION_SECRET={{random 48 charset="base64url"}}
      '';
    };

    "grafana/config" = {
      hosts = [ "web01" ];
      owner = "grafana";
      json.content =
        { jsonLib, ... }:
        {
          security = {
            admin_user = "admin";
            admin_password = jsonLib.secret "user-passwords/alice";
            secret_key = jsonLib.random 32 { charset = "hex"; };
          };
          auth.basic_hash = jsonLib.bcrypt (jsonLib.readSecret "user-passwords/bob") 10;
        };
    };

    "app/cookie-key" = {
      hosts = [ "web01" ];
      random = {
        bytes = 32;
        encoding = "base64";
      };
    };

    "wireguard/web01" = {
      hosts = [ "web01" ];
      owner = "systemd-network";
      mode = "0400";
      wireguard = { };
    };

    "wireguard/db01" = {
      hosts = [ "db01" ];
      owner = "systemd-network";
      mode = "0400";
      wireguard = { };
    };

    "ssh/deploy-key" = {
      hosts = [ "web01" ];
      ssh-ed25519 = { };
    };

    "backup/age-key" = {
      hosts = [ "db01" ];
      age = { };
    };

    "app/api-token-digest" = {
      hosts = [ "web01" ];
      script = {
        script = ''
          sha256sum < "$SECRETS_DIR/github/token" | cut -d" " -f1
        '';
        # With nixpkgs: `runtimeInputs = pkgs: [ pkgs.coreutils ];` and `pkgs` passed to
        # mkDeclarations (names come from the packages). The demo runs the system's coreutils.
        runtimeInputs = [ "/usr" ];
        runtimeInputNames = [ "coreutils" ];
        dependencies = [ "github/token" ];
      };
    };

    "github/token" = {
      hosts = [ "web01" ];
      manual = { };
    };
  };
}
