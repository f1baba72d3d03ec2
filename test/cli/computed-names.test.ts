/**
 * A secret name computed from another secret's value (`secret (secret "x")`) that names no
 * declared secret: the error says so without quoting the name, which is x's value. A computed
 * name that holds no value (a typo in data) is still quoted.
 */
import { afterEach, beforeEach, expect, it } from "vitest";
import { TestRepo, decls } from "../helpers/repo.js";

const VALUE = "hunter2-not-a-secret-name";
let repo: TestRepo;
beforeEach(() => {
  repo = new TestRepo();
});
afterEach(() => {
  repo.cleanup();
});

const readers: Record<string, Record<string, unknown>> = {
  handlebars: { template: { content: '{{secret (secret "x")}}' } },
  go: { template: { engine: "go", content: '{{ readSecret (readSecret "x") }}' } },
  json: {
    json: {
      content: {
        __secretgen: "secret",
        args: [{ __secretgen: "secret", args: ["x"] }],
      },
    },
  },
};

for (const [kind, reader] of Object.entries(readers)) {
  it(`never quotes a computed name that is a value (${kind})`, () => {
    repo.declare(decls({ x: { hosts: ["web01"], manual: {} } }));
    expect(repo.run(["set", "x"], { input: VALUE }).code).toBe(0);
    repo.declare(
      decls({ x: { hosts: ["web01"], manual: {} }, t: { hosts: ["web01"], ...reader } }),
    );
    const r = repo.run(["generate"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      `secrets."t": reads an unknown secret whose name holds a secret's value (so it is not shown)`,
    );
    expect(r.stdout + r.stderr).not.toContain("hunter2");
  });
}

it("quotes a computed name that holds no value", () => {
  repo.declare(
    decls({
      t: {
        hosts: ["web01"],
        template: {
          content: '{{#each users}}{{secret (concat "pw/" this)}}{{/each}}',
          data: { users: ["alice"] },
        },
      },
    }),
  );
  const r = repo.run(["generate"]);
  expect(r.code).toBe(2);
  expect(r.stderr).toContain('secretgen: error: secrets."t": reads unknown secret "pw/alice"');
});
