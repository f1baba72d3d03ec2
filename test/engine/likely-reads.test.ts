/**
 * likelyDataReads: the data files a run may decrypt, decided before decrypting anything, so that
 * a plugin identity's one session per run includes them.
 */
import { describe, expect, it } from "vitest";
import { bech32Encode } from "../../src/age/bech32.js";
import { validateDeclarations } from "../../src/declarations/index.js";
import { likelyDataReads } from "../../src/engine/likely-reads.js";
import type { Manifest, ManifestEntry } from "../../src/store/manifest.js";
import type { StoredSecret } from "../../src/engine/plan/index.js";

const ADMIN = bech32Encode("age", new Uint8Array(32).fill(1));
const OTHER = bech32Encode("age", new Uint8Array(32).fill(2));

function declarations(secrets: Record<string, unknown>, admins = [ADMIN]) {
  return validateDeclarations({ admins, hosts: {}, secrets }, { readTemplate: () => undefined });
}

const SECRETS = {
  token: { hosts: [], manual: {} },
  unread: { hosts: [], manual: {} },
  pw: { hosts: [], random: {} },
  env: { hosts: [], template: { content: '{{secret "token"}}{{secret "pw"}}' } },
};

/** A manifest that vouches for every file as stored, and the stored hashes. */
function state(decls: ReturnType<typeof declarations>) {
  const secrets = new Map<string, ManifestEntry>();
  const stored = new Map<string, StoredSecret>();
  for (const d of decls.secrets.values()) {
    const entry: ManifestEntry = {
      generator: d.generator.kind,
      declarationHash: d.declarationHash,
      recipients: d.recipients,
      dependencies: d.name === "env" ? { token: "t", pw: "p" } : {},
      public: {},
      data: `data-${d.name}`,
      entropy: `entropy-${d.name}`,
    };
    secrets.set(d.name, entry);
    stored.set(d.name, { dataHash: entry.data, entropyHash: entry.entropy });
  }
  const manifest: Manifest = { admins: decls.admins, secrets };
  return { manifest, stored };
}

describe("likelyDataReads", () => {
  it("a no-op run: only the secrets something reads (pw may have been adopted)", () => {
    const decls = declarations(SECRETS);
    const { manifest, stored } = state(decls);
    expect(likelyDataReads(decls, manifest, stored).sort()).toEqual(["pw", "token"]);
  });

  it("a data file the manifest does not vouch for is checked by decrypting it", () => {
    const decls = declarations(SECRETS);
    const { manifest, stored } = state(decls);
    stored.set("env", { dataHash: "moved", entropyHash: "entropy-env" });
    stored.set("unread", { dataHash: "data-unread", entropyHash: "rewritten" });
    expect(likelyDataReads(decls, manifest, stored).sort()).toEqual([
      "env",
      "pw",
      "token",
      "unread",
    ]);
  });

  it("recipients changed: every secret rekeyed (an adopted value is only in its data file)", () => {
    const before = declarations(SECRETS);
    const { manifest, stored } = state(before);
    const after = declarations(SECRETS, [ADMIN, OTHER]);
    expect(likelyDataReads(after, manifest, stored).sort()).toEqual([
      "env",
      "pw",
      "token",
      "unread",
    ]);
  });

  it("a secret never generated may read any manual secret", () => {
    const decls = declarations({ ...SECRETS, fresh: { hosts: [], random: {} } });
    const { manifest, stored } = state(declarations(SECRETS));
    expect(likelyDataReads(decls, manifest, stored).sort()).toEqual(["pw", "token", "unread"]);
  });

  it("missing data files are not asked for", () => {
    const decls = declarations(SECRETS);
    const { manifest, stored } = state(decls);
    stored.set("token", { entropyHash: "entropy-token" });
    expect(likelyDataReads(decls, manifest, stored)).toEqual(["pw"]);
  });
});
