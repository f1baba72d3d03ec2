/**
 * How many worker threads a run starts beside this one. A worker costs about 100 ms of a core
 * to start (it loads the age layer, and the render code on its first render), so workers are
 * started only when there is work enough to pay for them:
 *
 * - with an explicit `--jobs N` (N > 1): N workers from `threshold` declared secrets on;
 * - by default (N = the CPUs, at most 2): N workers when FRESH_RENDERS templates or JSON
 *   secrets are rendered afresh (bcrypt: a first generation, changed declarations, rotations),
 *   or from MANY secrets on unless a worker decrypts the entropy files early (`early`: it
 *   does what the pool would); none otherwise. A rekey starts no pool (measured slower with
 *   one: its start-up, and on two cores the writes' kernel work): the early worker, already
 *   running and idle once through the entropy files, shares its encryption instead
 *   (exec/split-encrypt.ts).
 *
 * A pure decision; the count of fresh renders is asked for only when it matters.
 */
export const FRESH_RENDERS = 4;
const MANY = 5000;
const THRESHOLD = 200;

export interface WorkerInputs {
  /** Threads the run may use (`--jobs`, or its default). */
  jobs: number;
  /** Whether `jobs` was given (`--jobs N`). */
  explicit: boolean;
  /** With an explicit `jobs`, workers from this many declared secrets on (default 200). */
  threshold?: number;
  /** Declared secrets. */
  size: number;
  /** Whether a worker is decrypting the entropy files early (exec/early-decrypt.ts). */
  early?: boolean;
  /** Secrets rendered afresh, counted up to FRESH_RENDERS. */
  freshRenders: () => number;
}

/**
 * The threads a run may use: `--jobs N` (at most one per core: more only cost memory, about
 * 10 MB a worker, and start-up; 2 are always allowed, so `--jobs 2` always means a pool), or
 * by default the cores, at most 2.
 */
export function threadCount(jobs: number | undefined, cores: number): number {
  return jobs === undefined ? Math.min(2, cores) : Math.min(jobs, Math.max(2, cores));
}

export function workersFor(w: WorkerInputs): number {
  if (w.jobs <= 1) return 0;
  if (w.explicit) return w.size >= (w.threshold ?? THRESHOLD) ? w.jobs : 0;
  if (w.freshRenders() >= FRESH_RENDERS) return w.jobs;
  return w.size >= MANY && w.early !== true ? w.jobs : 0;
}
