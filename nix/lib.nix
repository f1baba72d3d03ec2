# secretgen's Nix library. Builtins only: it needs no nixpkgs, so it evaluates offline and in
# pure flake evaluation.
#
#   sg = import ./nix/lib.nix;            # or inputs.secretgen.lib
#
# - sg.jsonLib: the functions of `json` templates, as the marker objects the CLI reads
#   ({ __secretgen = "FN"; args = [ … ]; opts = { … }; }).
# - sg.mkDeclarations { admins; hosts; secrets; pkgs ? null; }: the declarations document that
#   `secretgen --nix …` reads (light checks; the CLI validates it fully). A secret's generator
#   is `KIND = { … }` or, as ASG writes it, `generation.KIND = { … }` (kept as written: the CLI
#   applies that form's defaults).
# - sg.collectDeclarations { admins; hosts = { web01 = <nixosSystem, its config, or its
#   secretgen attrs>; … }; }: one document from every host's `secretgen` settings (module.nix).
# - sg.agenixSecrets { declarations; dataDir; host; }: the `age.secrets` of one host.
# - sg.publicKey / sg.recipientFile: read a key file, null while it does not exist yet.
# - sg.resolveRuntimeInputs: script `runtimeInputs` (a list, or a function of pkgs) → store
#   paths plus names.
#
# Errors are `throw`s whose message starts with `secretgen:` and names the secret (and host).
let
  inherit (builtins)
    attrNames
    concatMap
    concatStringsSep
    elem
    filter
    foldl'
    groupBy
    head
    isAttrs
    isFunction
    isList
    isPath
    isString
    length
    listToAttrs
    mapAttrs
    match
    pathExists
    readFile
    removeAttrs
    split
    tail
    toJSON
    typeOf
    ;

  # The generator keys of a secret, as in the JSON declarations (exactly one per secret).
  generatorKinds = [
    "random"
    "template"
    "json"
    "wireguard"
    "ssh-ed25519"
    "age"
    "script"
    "manual"
  ];

  # Consumer metadata of the NixOS secret-file contract, passed through to agenix.
  metaKeys = [
    "owner"
    "group"
    "mode"
    "path"
  ];

  quote = toJSON;
  toList = x: if isList x then x else [ x ];
  nonNull = filter (x: x != null);
  filterAttrs = pred: set: removeAttrs set (filter (n: !(pred n set.${n})) (attrNames set));

  # ---------------------------------------------------------------------------------------
  # jsonLib: function calls inside `json` templates.

  # `{ __secretgen = fn; args = args; }`, plus `opts` only when there are options.
  marker =
    fn: args: opts:
    {
      __secretgen = fn;
      inherit args;
    }
    // (if opts == { } then { } else { inherit opts; });

  jsonLib = rec {
    # The generic form: call FN with a list of arguments and an attrset of options.
    call = marker;

    # The value of another secret.
    secret = name: marker "secret" [ name ] { };
    # ASG's name; produces the canonical marker, so the declaration hash does not depend on it.
    readSecret = secret;

    # A `$2b$` bcrypt hash of VALUE with COST (4–31); the salt comes from the secret's entropy.
    bcrypt = value: cost: marker "bcrypt" [ value cost ] { };
    hashBcrypt = bcrypt;

    # The strings (or whole numbers) of a list, joined: `concat [ "user-passwords/" name ]`.
    concat = parts: marker "concat" (toList parts) { };

    # printf with %s and %% only: `fmt "user-passwords/%s" [ name ]` (a single value is fine).
    fmt = format: args: marker "fmt" ([ format ] ++ toList args) { };

    # VALUE as JSON text.
    json = value: marker "json" [ value ] { };

    base64 = value: marker "base64" [ value ] { };
    sha256 = value: marker "sha256" [ value ] { };
    trim = value: marker "trim" [ value ] { };

    # `random 32 { charset = "hex"; }`, `random 24 { }`, `random null { bytes = 32; }` (no
    # LENGTH argument); options as for the `random` generator.
    random =
      length: opts:
      marker "random" (if length == null then [ ] else [ length ]) opts;
  };

  # ---------------------------------------------------------------------------------------
  # Script runtime inputs.

  storeName =
    s:
    let
      m = match "/nix/store/[a-z0-9]{32}-(.*)" s;
    in
    if m == null then s else head m;

  inputPath =
    ctx: x:
    if isAttrs x then
      if x ? outPath then "${x}" else throw "${ctx}: an attribute set without outPath is not a package"
    else if isString x || isPath x then
      toString x
    else
      throw "${ctx}: expected a package or a path, not ${typeOf x}";

  inputName = x: if isAttrs x then x.pname or x.name or (storeName (toString x)) else storeName (toString x);

  # { pkgs ? null; inputs; context ? "…"; } → { runtimeInputs; runtimeInputNames; }.
  # `inputs` is a list of packages (derivations) or paths, or a function of pkgs returning one.
  # A package gives its store path ("${drv}", not built by evaluation) and its `pname or name`;
  # a string or path gives itself and, for a store path, its name without the hash.
  resolveRuntimeInputs =
    {
      pkgs ? null,
      inputs,
      context ? "secretgen: runtimeInputs",
    }:
    let
      list =
        if isFunction inputs then
          if pkgs == null then
            throw "${context} is a function of pkgs, but no pkgs was given (pass pkgs to mkDeclarations or collectDeclarations)"
          else
            inputs pkgs
        else
          inputs;
    in
    if !isList list then
      throw "${context} must be a list (or a function of pkgs returning one), not ${typeOf list}"
    else
      {
        runtimeInputs = map (inputPath context) list;
        runtimeInputNames = map inputName list;
      };

  # ---------------------------------------------------------------------------------------
  # Secrets.

  # The one generator of secret `s` (checked: known fields, exactly one generator), and how it
  # is spelled: natively (`random = { … }`) or in ASG's form (`generation.random = { … }`).
  # Mixing both is an error. { kind; asg; }
  generatorOf =
    ctx: allowed: s:
    let
      unknown = filter (k: !(elem k allowed)) (attrNames s);
      present = filter (k: (s.${k} or null) != null) generatorKinds;
      gen = s.generation or null;
      genKinds = filter (k: (gen.${k} or null) != null) generatorKinds;
      genUnknown = filter (k: !(elem k generatorKinds)) (attrNames gen);
      count =
        what: kinds:
        throw "${what} has ${toString (length kinds)} generators${
          if kinds == [ ] then "" else " (${concatStringsSep ", " kinds})"
        }; exactly one of ${concatStringsSep ", " generatorKinds} is needed";
    in
    if !isAttrs s then
      throw "${ctx} must be an attribute set, not ${typeOf s}"
    else if unknown != [ ] then
      throw "${ctx}: unknown field ${quote (head unknown)} (expected one of: ${concatStringsSep ", " allowed})"
    else if gen != null then
      if present != [ ] then
        throw "${ctx} declares its generator both as generation and natively (${concatStringsSep ", " present}); use one spelling"
      else if !isAttrs gen then
        throw "${ctx}.generation must be an attribute set, not ${typeOf gen}"
      else if genUnknown != [ ] then
        throw "${ctx}.generation: unknown generator ${quote (head genUnknown)} (expected one of: ${concatStringsSep ", " generatorKinds})"
      else if length genKinds != 1 then
        count "${ctx}.generation" genKinds
      else
        {
          kind = head genKinds;
          asg = true;
        }
    else if length present != 1 then
      count ctx present
    else
      {
        kind = head present;
        asg = false;
      };

  generatorKind = ctx: allowed: s: (generatorOf ctx allowed s).kind;

  # A generator's attrs as JSON data: json `content` may be a function `{ jsonLib, ... }: …`,
  # script `runtimeInputs` a function of pkgs.
  normaliseGenerator =
    ctx: pkgs: kind: g:
    if !isAttrs g then
      throw "${ctx}.${kind} must be an attribute set, not ${typeOf g}"
    else if kind == "json" && isFunction (g.content or null) then
      g // { content = g.content { inherit jsonLib; }; }
    else if kind == "script" && g ? runtimeInputs then
      let
        r = resolveRuntimeInputs {
          inherit pkgs;
          inputs = g.runtimeInputs;
          context = "${ctx}.script.runtimeInputs";
        };
      in
      g
      // {
        inherit (r) runtimeInputs;
        runtimeInputNames = g.runtimeInputNames or r.runtimeInputNames;
      }
    else
      g;

  # One secret as it appears in the JSON document: `hosts`, the generator, the metadata that is
  # set (null means unset), and `armor` only when true.
  normaliseSecret =
    {
      ctx,
      pkgs ? null,
      allowed,
      hosts,
    }:
    s:
    let
      g = generatorOf ctx allowed s;
      inherit (g) kind;
      meta = filterAttrs (k: v: elem k metaKeys && v != null) s;
    in
    {
      hosts = toList hosts;
    }
    // (
      if g.asg then
        { generation.${kind} = normaliseGenerator "${ctx}.generation" pkgs kind s.generation.${kind}; }
      else
        { ${kind} = normaliseGenerator ctx pkgs kind s.${kind}; }
    )
    // meta
    // (if s.armor or false then { armor = true; } else { });

  secretKeys = [
    "hosts"
    "armor"
    "generation"
  ]
  ++ metaKeys
  ++ generatorKinds;

  # Host keys: null (not there yet), a string, or a list (nulls dropped).
  keyList = k: if k == null then [ ] else nonNull (toList k);

  # { admins; hosts = { NAME = key or [ keys ]; }; secrets = { NAME = { hosts; GENERATOR; owner; … }; }; pkgs ? null; }
  mkDeclarations =
    {
      admins ? [ ],
      hosts ? { },
      secrets ? { },
      pkgs ? null,
    }:
    if !isList admins then
      throw "secretgen: admins must be a list of recipients, not ${typeOf admins}"
    else if !isAttrs hosts then
      throw "secretgen: hosts must be an attribute set of host keys, not ${typeOf hosts}"
    else if !isAttrs secrets then
      throw "secretgen: secrets must be an attribute set, not ${typeOf secrets}"
    else
      {
        admins = nonNull admins;
        hosts = mapAttrs (_: keyList) hosts;
        secrets = mapAttrs (
          name: s:
          let
            ctx = "secretgen: secret ${quote name}";
          in
          normaliseSecret {
            inherit ctx pkgs;
            allowed = secretKeys;
            hosts = if isAttrs s then s.hosts or [ ] else [ ];
          } s
        ) secrets;
      };

  # ---------------------------------------------------------------------------------------
  # Collecting every host's declarations (module.nix) into one document.

  # A host given as a nixosSystem result, its `config`, or its `secretgen` settings directly.
  hostSettings =
    h:
    if h ? secretgen then
      h.secretgen
    else if h ? config && h.config ? secretgen then
      h.config.secretgen
    else
      h;

  hostSecretKeys = [
    "armor"
    "generation"
  ]
  ++ metaKeys
  ++ generatorKinds;

  describeGenerator =
    d:
    let
      kinds = filter (k: d ? ${k}) generatorKinds;
    in
    if d ? generation then
      "generation.${head (attrNames d.generation)}"
    else if kinds == [ ] then
      "none"
    else
      head kinds;

  # Merge entry b into a (same secret name). The generator and armor must be equal; metadata
  # that differs between hosts (each host sets its own owner/mode for agenix) is left out.
  mergeEntries =
    name: a: b:
    let
      strip = d: removeAttrs d ([ "hosts" ] ++ metaKeys);
      ga = strip a.decl;
      gb = strip b.decl;
      ka = describeGenerator ga;
      kb = describeGenerator gb;
      why =
        if ka != kb then
          "${ka} on ${a.origin}, ${kb} on ${b.origin}"
        else if removeAttrs ga [ "armor" ] != removeAttrs gb [ "armor" ] then
          "their ${ka} settings differ"
        else
          "their armor settings differ";
      meta = listToAttrs (
        concatMap (
          k:
          let
            va = a.decl.${k} or null;
          in
          if va != null && va == (b.decl.${k} or null) then
            [
              {
                name = k;
                value = va;
              }
            ]
          else
            [ ]
        ) metaKeys
      );
    in
    if ga != gb then
      throw "secretgen: secret ${quote name} is declared differently on ${a.origin} and ${b.origin} (${why}); a secret shared by several hosts needs the same generator everywhere"
    else
      a
      // {
        decl =
          ga
          // meta
          // {
            hosts = a.decl.hosts ++ filter (h: !(elem h a.decl.hosts)) b.decl.hosts;
          };
      };

  # { admins; hosts = { NAME = host; … }; secrets ? { }; hostKeys ? { }; pkgs ? null; }
  # Each host contributes its key (`secretgen.hostKey`) and its secrets
  # (`secretgen.secrets.NAME`, readable by that host). The same name on several hosts with the
  # same generator is one secret whose `hosts` lists them all (in host-name order); different
  # generators are an evaluation error naming both hosts. `secrets` adds top-level declarations
  # with explicit `hosts` (merged the same way); `hostKeys` adds or overrides host keys.
  # Owner/group/mode/path are kept where every declaring host agrees and left out otherwise
  # (each host's own values reach agenix through module.nix); `armor` must agree.
  collectDeclarations =
    {
      admins ? [ ],
      hosts,
      secrets ? { },
      hostKeys ? { },
      pkgs ? null,
    }:
    let
      settings = mapAttrs (_: hostSettings) hosts;
      top = (mkDeclarations { inherit admins secrets pkgs; }).secrets;
      fromTop = map (name: {
        inherit name;
        origin = "the top-level secrets";
        decl = top.${name};
      }) (attrNames top);
      fromHost =
        host:
        let
          hostSecrets = settings.${host}.secrets or { };
        in
        map (name: {
          inherit name;
          origin = "host ${quote host}";
          decl = normaliseSecret {
            ctx = "secretgen: secret ${quote name} on host ${quote host}";
            inherit pkgs;
            allowed = hostSecretKeys;
            hosts = [ host ];
          } hostSecrets.${name};
        }) (attrNames hostSecrets);
      grouped = groupBy (e: e.name) (fromTop ++ concatMap fromHost (attrNames settings));
    in
    {
      admins = nonNull admins;
      # A host with neither a key nor secrets (a configuration without secretgen) is left out.
      hosts =
        mapAttrs (_: s: keyList (s.hostKey or null)) (
          filterAttrs (_: s: (s.hostKey or null) != null || (s.secrets or { }) != { }) settings
        )
        // mapAttrs (_: keyList) hostKeys;
      secrets = mapAttrs (name: es: (foldl' (mergeEntries name) (head es) (tail es)).decl) grouped;
    };

  # ---------------------------------------------------------------------------------------
  # agenix wiring.

  dataFile = dataDir: name: if isPath dataDir then dataDir + "/${name}.age" else "${dataDir}/${name}.age";

  # One `age.secrets.NAME` value: `file`, and owner/group/mode/path when set (agenix's defaults
  # otherwise). `armor` is not an agenix option: age detects armored files by itself.
  ageSecret =
    dataDir: name: s:
    { file = dataFile dataDir name; } // filterAttrs (k: v: elem k metaKeys && v != null) s;

  # { declarations; dataDir; host; } → the `age.secrets` of `host`: every secret whose `hosts`
  # names it. dataDir is a path (./secrets/data) or a string.
  agenixSecrets =
    {
      declarations,
      dataDir,
      host,
    }:
    mapAttrs (ageSecret dataDir) (filterAttrs (_: s: elem host (s.hosts or [ ])) declarations.secrets);

  # { secrets; dataDir; } → `age.secrets` from one host's `secretgen.secrets` (module.nix); each
  # secret is checked for exactly one generator, which is not evaluated further.
  hostAgeSecrets =
    { secrets, dataDir }:
    mapAttrs (
      name: s:
      builtins.seq (generatorKind "secretgen.secrets.${quote name}" hostSecretKeys s) (
        ageSecret dataDir name s
      )
    ) secrets;

  # ---------------------------------------------------------------------------------------
  # Key files.

  # Text of a key file without surrounding whitespace; null when it does not exist (yet) or is
  # empty.
  publicKey =
    path:
    if pathExists path then
      let
        m = match "[[:space:]]*(.*[^[:space:]])[[:space:]]*" (readFile path);
      in
      if m == null then null else head m
    else
      null;

  # The first recipient in a key file (`ssh-ed25519 AAAA… comment`, `age1…`, `# comments`),
  # without its comment; null when the file does not exist (yet) or holds no key.
  recipientFile =
    path:
    let
      text = publicKey path;
      lines = filter (l: isString l && match "[[:space:]]*(#.*)?" l == null) (split "\n" text);
      fields = filter (f: isString f && f != "") (split "[[:space:]]+" (head lines));
      first = head fields;
    in
    if text == null || lines == [ ] then
      null
    else if match "(ssh|ecdsa|sk)-.*" first != null && length fields >= 2 then
      "${first} ${builtins.elemAt fields 1}"
    else
      first;
in
{
  inherit
    jsonLib
    generatorKinds
    mkDeclarations
    collectDeclarations
    agenixSecrets
    hostAgeSecrets
    resolveRuntimeInputs
    publicKey
    recipientFile
    ;
}
