/**
 * Decrypting the entropy files early (the engine's EarlyDecrypt: a worker thread decrypts them
 * while this one loads the declarations) for the commands that read every one: check, generate,
 * rotate and status. Started only when it can help and needs nothing from the user: two or more
 * cores, no `--jobs` (with `--jobs N` the run uses the pool it asks for), at least
 * EARLY_MIN entropy files, and identity files that load without a passphrase and hold no
 * plugin identity. Anything that goes wrong here is left to the command's own path, which
 * reports it: this only saves time.
 */
import { availableParallelism } from "node:os";
import type { Identity } from "../age/index.js";
import type { EarlyDecrypt } from "../engine/index.js";
import type { Session } from "./session.js";

export const EARLY_MIN = 256;

/** Run `fn` with the entropy files being decrypted early (when they can be), then stop that. */
export async function withEarlyDecrypt<T>(
  session: Session,
  fn: (early: EarlyDecrypt | undefined) => Promise<T>,
): Promise<T> {
  const early = await startEarly(session).catch(() => undefined);
  try {
    return await fn(early);
  } finally {
    await early?.close();
  }
}

async function startEarly(session: Session): Promise<EarlyDecrypt | undefined> {
  if (session.opts.jobs !== undefined || availableParallelism() < 2) return undefined;
  const layout = session.layout;
  const names = layout.entropyNames();
  if (names.length < EARLY_MIN) return undefined;
  const { paths } = session.identityPaths();
  if (paths.length === 0) return undefined;
  const { loadIdentityFile } = await import("../age/index.js");
  const identities: Identity[] = [];
  for (const path of paths) {
    const loaded = await loadIdentityFile(path, {
      passphrase: () => Promise.reject(new Error("no prompt before the command asks")),
    });
    identities.push(...loaded.identities);
  }
  if (identities.length === 0 || identities.some((id) => id.type === "plugin")) return undefined;
  const { startEarlyDecrypt } = await import("../engine/index.js");
  return startEarlyDecrypt(
    names.map((n) => layout.entropyFile(n)),
    identities,
  );
}
