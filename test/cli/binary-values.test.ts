/**
 * A secret whose value is not UTF-8 (a script printing bytes) is read by base64 and sha256 in
 * handlebars templates, Go templates and JSON markers, and by scripts (as a file), with known
 * answers from coreutils; a reader using it as text fails alone (exit 3, named), the binary
 * secret and the other readers are written.
 */
import { execFileSync } from "node:child_process";
import { afterEach, beforeEach, expect, it } from "vitest";
import { describeWithTools } from "../helpers/tools.js";
import { TestRepo, decls } from "../helpers/repo.js";

/** Not UTF-8: 0xff never occurs in it; a NUL and a lone continuation byte too. */
const BYTES = Buffer.from([0xff, 0x00, 0x01, 0x62, 0x69, 0x6e, 0x80, 0xfe, 0x0a]);
const PRINTF = "printf '\\377\\000\\001bin\\200\\376\\n'";

let repo: TestRepo;
beforeEach(() => {
  repo = new TestRepo();
});
afterEach(() => {
  repo.cleanup();
});

const h = { hosts: ["web01"] };
const all = () =>
  decls({
    bin: { ...h, script: { script: PRINTF, runtimeInputs: ["/usr"] } },
    hb: { ...h, template: { content: '{{base64 (secret "bin")}} {{sha256 (secret "bin")}}' } },
    go: {
      ...h,
      template: {
        engine: "go",
        content: '{{ readSecret "bin" | base64 }} {{ sha256 (readSecret "bin") }}',
      },
    },
    js: {
      ...h,
      json: {
        content: { b: { __secretgen: "base64", args: [{ __secretgen: "secret", args: ["bin"] }] } },
      },
    },
    sh: {
      ...h,
      script: {
        script: 'base64 -w0 < "$SECRETS_DIR/bin"',
        runtimeInputs: ["/usr"],
        dependencies: ["bin"],
      },
    },
    text: { ...h, template: { content: 'v={{secret "bin"}}' } },
    gotext: { ...h, template: { engine: "go", content: '{{ readSecret "bin" | printf "%s" }}' } },
    jstext: { ...h, json: { content: { v: { __secretgen: "secret", args: ["bin"] } } } },
    other: { ...h, random: { length: 8 } },
  });

describeWithTools(["age", "base64", "sha256sum"], "binary values", () => {
  it("bytes for base64 and sha256 and scripts; text uses fail alone with exit 3", () => {
    const b64 = execFileSync("base64", ["-w0"], { input: BYTES }).toString();
    const sha = execFileSync("sha256sum", [], { input: BYTES }).toString().split(" ")[0] ?? "";
    repo.declare(all());
    const r = repo.run(["generate"]);
    expect(r.code).toBe(3);
    const errors = r.stderr.split("\n").filter((l) => l.startsWith("secretgen: error: "));
    const why = `is the value of secret "bin", which is not UTF-8 text (only base64 and sha256 take bytes)`;
    expect(errors).toEqual([
      `secretgen: error: secrets."gotext".template: line 1, column 23: the argument of printf ${why}`,
      `secretgen: error: secrets."jstext".json.content.v: the value placed here ${why}`,
      `secretgen: error: secrets."text".template: line 1, column 3: the value printed ${why}`,
    ]);
    expect(r.stdout).toMatch(/^created 6, failed 3$/m);
    expect(repo.reveal("bin").equals(BYTES)).toBe(true);
    expect(repo.reveal("hb").toString()).toBe(`${b64} ${sha}`);
    expect(repo.reveal("go").toString()).toBe(`${b64} ${sha}`);
    expect(repo.reveal("js").toString()).toBe(JSON.stringify({ b: b64 }));
    expect(repo.reveal("sh").toString()).toBe(b64);
    // The next run replays them unchanged and fails only the text readers again.
    const again = repo.run(["generate"]);
    expect(again.code).toBe(3);
    expect(again.stdout).toMatch(/^unchanged 6, failed 3$/m);
  });

  it("a manual secret set to binary bytes is read the same way", () => {
    repo.declare(decls({ bin: { ...h, manual: {} } }));
    expect(repo.run(["set", "bin", "--keep-newline"], { input: BYTES }).code).toBe(0);
    repo.declare(
      decls({
        bin: { ...h, manual: {} },
        hb: { ...h, template: { content: '{{base64 (secret "bin")}}' } },
      }),
    );
    expect(repo.run(["generate"]).code).toBe(0);
    const b64 = execFileSync("base64", ["-w0"], { input: BYTES }).toString();
    expect(repo.reveal("hb").toString()).toBe(b64);
  });
});

describeWithTools(["nix-instantiate"], "declarations that are not UTF-8", () => {
  it("from Nix: an error with the byte offset in its output, never U+FFFD in a value", () => {
    repo.write("bin", Buffer.from([0x61, 0xff, 0x62]));
    repo.write(
      "d.nix",
      '{ admins = [ "age1pmrnxfflaurx5pqrutxd6f3pdh3vsnzr2k2hv2rxcuz2qwwvr0hqk6fwch" ]; hosts = { }; secrets.t.template = { content = "x"; data.v = builtins.readFile ./bin; }; }',
    );
    const r = repo.run(["--nix", "d.nix", "check", "--offline"], { identity: false });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /^secretgen: error: the output of the Nix evaluation of "d\.nix" is not valid UTF-8 \(byte offset \d+\)$/m,
    );
  });
});

it("declarations on stdin that are not UTF-8 are an error with the byte offset", () => {
  const r = repo.run(["--config", "-", "check", "--offline"], {
    identity: false,
    input: Buffer.concat([Buffer.from('{"admins": ["'), Buffer.from([0xff]), Buffer.from('"]}')]),
  });
  expect(r.code).toBe(2);
  expect(r.stderr).toContain(
    "secretgen: error: declarations on stdin is not valid UTF-8 (byte offset 13)",
  );
});
