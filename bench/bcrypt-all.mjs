/**
 * The bcrypt floor, run as its own process: COUNT bcrypt hashes of cost COST with bcryptjs (what
 * secretgen uses), divided over THREADS worker threads.
 *
 *   node bench/bcrypt-all.mjs COUNT COST THREADS
 *
 * Prints `{"hashes": H, "ms": T}`, T being the in-process time from starting the threads.
 */
import process from "node:process";
import { Worker, isMainThread, parentPort, workerData } from "node:worker_threads";
import bcrypt from "bcryptjs";

if (!isMainThread) {
  const { count, cost } = workerData;
  for (let i = 0; i < count; i++) bcrypt.hashSync(`password-${i}`, bcrypt.genSaltSync(cost));
  parentPort.postMessage(count);
} else {
  const [count, cost, threads] = process.argv.slice(2).map(Number);
  if (!(count >= 0 && cost >= 4 && threads >= 1)) {
    process.stderr.write("usage: node bench/bcrypt-all.mjs COUNT COST THREADS\n");
    process.exit(2);
  }
  const start = process.hrtime.bigint();
  const shares = Array.from(
    { length: threads },
    (_, i) => Math.floor(count / threads) + (i < count % threads ? 1 : 0),
  );
  const done = await Promise.all(
    shares.map(
      (share) =>
        new Promise((resolve, reject) => {
          const w = new Worker(new URL(import.meta.url), { workerData: { count: share, cost } });
          w.once("message", resolve);
          w.once("error", reject);
        }),
    ),
  );
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  process.stdout.write(JSON.stringify({ hashes: done.reduce((a, b) => a + b, 0), ms }) + "\n");
  process.exit(0);
}
