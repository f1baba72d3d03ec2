/**
 * age-encryption (typage), loaded on first use: importing it costs about 100 ms of startup,
 * which a run served entirely by the fast path never pays.
 */

type Typage = typeof import("age-encryption");

let loaded: Promise<Typage> | undefined;

/** The age-encryption module. Rejects only if the package is not installed. */
export function typage(): Promise<Typage> {
  loaded ??= import("age-encryption");
  return loaded;
}
