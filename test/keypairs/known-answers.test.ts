/**
 * Known answers for the keypair generators: fixed bytes → exact private and public key text.
 * These strings are a permanent format (docs/formats.md (Keypairs)); they were checked with the
 * real tools, and the interop block below checks them again on every run.
 */
import { describe, expect, it } from "vitest";
import { ed25519, x25519 } from "@noble/curves/ed25519.js";
import { identityToRecipient } from "age-encryption";
import { bech32 } from "@scure/base";
import { render as renderWireguard } from "../../src/engine/render/generators/wireguard.js";
import { render as renderSsh } from "../../src/engine/render/generators/ssh-ed25519.js";
import { render as renderAge } from "../../src/engine/render/generators/age-key.js";
import { EntropyExhausted } from "../../src/engine/entropy.js";
import { describeWithTools } from "../helpers/tools.js";
import { hex, renderWith, tools } from "./helpers.js";

/** 0x00, 0x01, … 0x1f. */
const COUNTING = Uint8Array.from({ length: 32 }, (_, i) => i);
const CHECKINT = Uint8Array.of(0xde, 0xad, 0xbe, 0xef);
/** RFC 7748 §6.1, Alice's private key, and her public key. */
const RFC7748_ALICE = hex("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a");
const RFC7748_ALICE_PUBLIC = hex(
  "8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a",
);
/** RFC 8032 §7.1, test 1: secret key (seed) and public key. */
const RFC8032_SEED = hex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60");
const RFC8032_PUBLIC = hex("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");

const WG = {
  value: "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHl8=\n",
  publicKey: "j0DFrbaPJWJK5bIU6nZ6bslNgp09e14a0bpvPiE4KF8=\n",
};
const WG_ALICE = {
  // Alice's key clamped: 0x77 & 248 = 0x70 ('cAdt'), 0x2a & 127 | 64 = 0x6a.
  value: "cAdtCnMYpX08FsFyUbJmRd9ML4frwJkqsXf7pR25LGo=\n",
  publicKey: Buffer.from(RFC7748_ALICE_PUBLIC).toString("base64") + "\n",
};

const SSH = {
  value: [
    "-----BEGIN OPENSSH PRIVATE KEY-----",
    "b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW",
    "QyNTUxOQAAACADoQe/884Qvh1w3RjnS8CZZ+TWMJulDV8d3IZkElUxuAAAAJjerb7v3q2+",
    "7wAAAAtzc2gtZWQyNTUxOQAAACADoQe/884Qvh1w3RjnS8CZZ+TWMJulDV8d3IZkElUxuA",
    "AAAEAAAQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHwOhB7/zzhC+HXDdGOdLwJln",
    "5NYwm6UNXx3chmQSVTG4AAAAD2hvc3RzL3dlYjAxLXNzaAECAwQFBg==",
    "-----END OPENSSH PRIVATE KEY-----",
    "",
  ].join("\n"),
  publicKey:
    "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIAOhB7/zzhC+HXDdGOdLwJln5NYwm6UNXx3chmQSVTG4 hosts/web01-ssh\n",
  fingerprint: "256 SHA256:lbmsoA0yIEcEiVDRnMWuzm+nV+3ZEEpVIURqFoeSspg hosts/web01-ssh (ED25519)\n",
};

const AGE = {
  value: "AGE-SECRET-KEY-1QQQSYQCYQ5RQWZQFPG9SCRGWPUGPZYSNZS23V9CCRYDPK8QARC0SWRYDWG\n",
  publicKey: "age13aqvttdk3ujkyjh9kg2w5an6dmy5mq5a84a4uxk3hfhnugfc9p0sy5p2wh\n",
};

describe("wireguard", () => {
  it("renders 32 counting bytes", () => {
    expect(renderWith(renderWireguard, "wireguard", "wg/web01", COUNTING)).toEqual({
      ...WG,
      drawn: 32,
    });
  });

  it("clamps like wg genkey and agrees with RFC 7748", () => {
    const out = renderWith(renderWireguard, "wireguard", "wg/alice", RFC7748_ALICE);
    expect(out).toEqual({ ...WG_ALICE, drawn: 32 });
    const key = Buffer.from(out.value.trim(), "base64");
    expect(key[0]).toBe(0x70);
    expect(key[31]).toBe(0x6a);
  });

  it("draws exactly 32 bytes", () => {
    expect(() => renderWith(renderWireguard, "wireguard", "wg", COUNTING.subarray(0, 31))).toThrow(
      EntropyExhausted,
    );
  });
});

describe("ssh-ed25519", () => {
  it("renders 32 counting bytes and checkint 0xdeadbeef, with the secret name as comment", () => {
    const bytes = new Uint8Array([...COUNTING, ...CHECKINT]);
    expect(renderWith(renderSsh, "ssh-ed25519", "hosts/web01-ssh", bytes)).toEqual({
      value: SSH.value,
      publicKey: SSH.publicKey,
      drawn: 36,
    });
  });

  it("lays out the file as openssh-key-v1: both checkints equal, padding 1,2,3…", () => {
    const bytes = new Uint8Array([...COUNTING, ...CHECKINT]);
    const { value } = renderWith(renderSsh, "ssh-ed25519", "hosts/web01-ssh", bytes);
    const lines = value.split("\n");
    expect(lines.slice(1, -3).every((l) => l.length === 70)).toBe(true);
    const blob = Buffer.from(lines.slice(1, -2).join(""), "base64");
    expect(blob.subarray(0, 15).toString("latin1")).toBe("openssh-key-v1\0");
    const pub = ed25519.getPublicKey(COUNTING);
    // magic, "none", "none", "", 1 key, public blob (4+11+4+32 = 51), private section length
    const privStart = 15 + 8 + 8 + 4 + 4 + 4 + 51 + 4;
    const priv = blob.subarray(privStart);
    expect(blob.readUInt32BE(privStart - 4)).toBe(priv.length);
    expect(priv.length % 8).toBe(0);
    expect(priv.subarray(0, 8).toString("hex")).toBe("deadbeefdeadbeef");
    expect(priv.subarray(8 + 4 + 11 + 4, 8 + 4 + 11 + 4 + 32)).toEqual(Buffer.from(pub));
    const secretAt = 8 + 4 + 11 + 4 + 32 + 4;
    expect(priv.subarray(secretAt, secretAt + 64)).toEqual(Buffer.from([...COUNTING, ...pub]));
    expect([...priv.subarray(priv.length - 6)]).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it("agrees with RFC 8032 (test 1)", () => {
    const out = renderWith(
      renderSsh,
      "ssh-ed25519",
      "k",
      new Uint8Array([...RFC8032_SEED, 0, 0, 0, 0]),
    );
    const blob = Buffer.from(out.publicKey?.split(" ")[1] ?? "", "base64");
    expect(blob.subarray(blob.length - 32)).toEqual(Buffer.from(RFC8032_PUBLIC));
  });

  it("draws the seed first, then 4 bytes of checkint", () => {
    expect(() => renderWith(renderSsh, "ssh-ed25519", "k", COUNTING)).toThrow(EntropyExhausted);
    expect(() => renderWith(renderSsh, "ssh-ed25519", "k", new Uint8Array(35))).toThrow(
      EntropyExhausted,
    );
  });
});

describe("age", () => {
  it("renders 32 counting bytes", () => {
    expect(renderWith(renderAge, "age", "age/web01", COUNTING)).toEqual({ ...AGE, drawn: 32 });
  });

  it("agrees with age-encryption's own encoder", async () => {
    const out = renderWith(renderAge, "age", "age/web01", COUNTING);
    expect(await identityToRecipient(out.value.trim())).toBe(AGE.publicKey.trim());
    // the stored scalar is not clamped: the bech32 payload is the drawn bytes themselves
    expect(bech32.decodeToBytes(out.value.trim().toLowerCase()).bytes).toEqual(COUNTING);
    expect(AGE.publicKey.trim()).toBe(
      bech32.encode("age", bech32.toWords(x25519.getPublicKey(COUNTING))),
    );
  });
});

describeWithTools(
  ["wg", "ssh-keygen", "age-keygen"],
  "known answers, cross-checked with the real tools",
  () => {
    it("wg pubkey", () => {
      expect(tools.wgPubkey(WG.value)).toBe(WG.publicKey);
      expect(tools.wgPubkey(WG_ALICE.value)).toBe(WG_ALICE.publicKey);
    });

    it("ssh-keygen -y and -l", () => {
      expect(tools.sshPublic(SSH.value)).toBe(SSH.publicKey);
      expect(tools.sshFingerprint(SSH.value)).toBe(SSH.fingerprint);
    });

    it("age-keygen -y", () => {
      expect(tools.ageRecipient(AGE.value)).toBe(AGE.publicKey);
    });
  },
);
