/**
 * Replay: a key generated from the CSPRNG (recorded) renders to the identical key from its
 * recording, and a restart mid-render serves the same bytes again.
 */
import { describe, expect, it } from "vitest";
import type { KeypairSpec } from "../../src/declarations/types.js";
import { EntropyStream, cryptoSource } from "../../src/engine/entropy.js";
import { render as renderWireguard } from "../../src/engine/render/generators/wireguard.js";
import { render as renderSsh } from "../../src/engine/render/generators/ssh-ed25519.js";
import { render as renderAge } from "../../src/engine/render/generators/age-key.js";
import { fixedContext, type Render } from "./helpers.js";

const GENERATORS: [KeypairSpec["kind"], Render, number][] = [
  ["wireguard", renderWireguard, 32],
  ["ssh-ed25519", renderSsh, 36],
  ["age", renderAge, 32],
];

describe.for(GENERATORS)("%s", ([kind, render, size]) => {
  it("replays its recording to the same output", () => {
    const first = {
      ...fixedContext("k/one", new Uint8Array(0)),
      entropy: new EntropyStream(undefined, cryptoSource),
    };
    const made = render({ kind }, first);
    const recorded = first.entropy.recorded();
    expect(recorded.length).toBe(size);
    const again = render({ kind }, fixedContext("k/one", recorded));
    const twice = render({ kind }, fixedContext("k/one", recorded));
    expect(again).toEqual(made);
    expect(twice).toEqual(made);
  });

  it("renders the same after a restart of its stream", () => {
    const ctx = {
      ...fixedContext("k/two", new Uint8Array(0)),
      entropy: new EntropyStream(undefined, cryptoSource),
    };
    const a = render({ kind }, ctx);
    ctx.entropy.restart();
    const b = render({ kind }, ctx);
    expect(b).toEqual(a);
    expect(ctx.entropy.recorded().length).toBe(size);
  });

  it("differs for different bytes", () => {
    const x = render({ kind }, fixedContext("k", new Uint8Array(size).fill(1)));
    const y = render({ kind }, fixedContext("k", new Uint8Array(size).fill(2)));
    expect(x.value).not.toEqual(y.value);
    expect(x.publicKey).not.toBe(y.publicKey);
  });
});
