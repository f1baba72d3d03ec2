/**
 * Which worker gets which job: jobs wait in one queue, in the order they were asked for, and a
 * worker is handed the next one whenever it holds fewer than `window`. A worker that draws a
 * run of bcrypts (80 ms each) then holds no queue of its own while the other one idles, as it
 * did when each job went at once to the worker with the fewest jobs. Pure: the pool does the
 * sending.
 */
export class JobQueue<T> {
  private readonly waiting: T[] = [];
  /** Index of the first job not handed out (the array is emptied when all are). */
  private head = 0;
  private readonly held: number[];

  constructor(
    workers: number,
    /** Jobs a worker holds at once: with 2, one runs and the next waits behind it. */
    private readonly window = 2,
  ) {
    this.held = Array.from({ length: workers }, () => 0);
  }

  /** Queue `job`; returns the jobs to send now, with their workers, in order. */
  push(job: T): [worker: number, job: T][] {
    this.waiting.push(job);
    return this.handOut();
  }

  /** `worker` finished a job; returns the jobs to send now. */
  settled(worker: number): [worker: number, job: T][] {
    this.held[worker] = Math.max(0, (this.held[worker] ?? 0) - 1);
    return this.handOut();
  }

  /** Drop every waiting job (the pool failed). */
  clear(): void {
    this.waiting.length = 0;
    this.head = 0;
  }

  private handOut(): [number, T][] {
    const out: [number, T][] = [];
    for (let w = 0; w < this.held.length && this.head < this.waiting.length; w++) {
      while ((this.held[w] ?? 0) < this.window && this.head < this.waiting.length) {
        out.push([w, this.waiting[this.head++] as T]);
        this.held[w] = (this.held[w] ?? 0) + 1;
      }
    }
    if (this.head === this.waiting.length) this.clear();
    return out;
  }
}
