/**
 * The results as tables: median times per size, and the ratios to the floors. Printed on the
 * terminal and written to docs/bench.md (formatted with the project's Prettier).
 */
import { RATIOS, SERIES } from "./series.mjs";

export function formatMs(ms) {
  if (ms === undefined) return "—";
  if (ms >= 10_000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms >= 1000) return `${(ms / 1000).toFixed(2)} s`;
  return `${ms.toFixed(0)} ms`;
}

function formatRatio(value, unit) {
  if (value === undefined) return "—";
  return unit === "x" ? `${value.toFixed(value >= 10 ? 0 : 2)}×` : `${value.toFixed(0)} ms`;
}

function row(cells) {
  return `| ${cells.join(" | ")} |`;
}

/** Markdown tables (unaligned; Prettier aligns them) for the results of one run. */
export function tables(results) {
  const sizes = results.sizes;
  const heads = sizes.map((s) => `N = ${s.n}`);
  const times = [
    row(["measure", ...heads]),
    row(["---", ...sizes.map(() => "--:")]),
    ...SERIES.map((s) => row([s.label, ...sizes.map((z) => formatMs(z.times[s.id]?.median))])),
  ];
  const ratios = [
    row(["ratio", "target", ...heads]),
    row(["---", "---", ...sizes.map(() => "--:")]),
    ...RATIOS.map((r) =>
      row([r.label, r.target, ...sizes.map((z) => formatRatio(z.ratios[r.id], r.unit))]),
    ),
  ];
  return { times: times.join("\n"), ratios: ratios.join("\n") };
}

/** Align a markdown table's columns for the terminal (Prettier does it for the file). */
export function alignTable(markdown) {
  const rows = markdown.split("\n").map((l) =>
    l
      .slice(2, -2)
      .split(" | ")
      .map((c) => c.trim()),
  );
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => [...r[i]].length)));
  return rows
    .map((r, ri) =>
      r
        .map((c, i) => {
          if (ri === 1) return "-".repeat(widths[i]);
          const pad = " ".repeat(widths[i] - [...c].length);
          return i === 0 ? c + pad : pad + c;
        })
        .join("  "),
    )
    .join("\n");
}

/** docs/bench.md: how to run, what is measured, and the tables of the last run. */
export function markdown(results) {
  const { times, ratios } = tables(results);
  const m = results.machine;
  const runs = results.options.repeat;
  return `# Benchmark

\`npx just bench\` (or \`node bench/run.mjs [--sizes 100,1000] [--repeat K] [--jobs N]\` after a
build) builds synthetic repositories of N secrets (about 70% \`random\`, 20% \`template\` each
with a bcrypt of cost 10 of another secret, 10% \`json\`, half of those reading a secret; two
hosts, web01 ssh-ed25519 and db01 ssh-rsa; the demo admin key), and times, as whole processes:
the first \`generate\` (once: it builds the tree), a no-op \`generate\`, a no-op \`check\`,
\`check --offline\`, and, each on its own copy of the tree (all copies made and flushed to disk before
the first round, none deleted until the end: on a journal-less ext4, files created within
minutes of a mass deletion are slow to create), the \`generate\` that re-encrypts
after db01 is added to the half of the secrets it was not on, and the one after a second admin
is added (every entropy and data file gets a new recipient). In the same run, on the same
files, it times the floors: decrypting every entropy file in one process with node:crypto
(secretgen's own \`fastDecrypt\`, one thread; also its in-process time) and with
age-encryption's \`Decrypter\`, one \`age -d\` process per file (N ≤ 1000), a bare \`node -e 0\`,
and \`secretgen --version\`; and for the writes (\`bench/rewrite-all.mjs\`, \`bench/bcrypt-all.mjs\`,
one thread of node:crypto, nothing written): decrypting every file a rekey reads (every entropy
file) and decrypting and encrypting again, to the new recipients, every file it rewrites;
encrypting what a first generate writes (an entropy record of ~400 bytes and a value per
secret); the first generate's bcrypts (same count, cost 10) divided over the cores (at most 2
threads), also taken right before and right after the first generate, which its ratio uses;
and, for N ≤ 1000, the agenix way of each rekey: one \`age -d\` and one \`age -e\` process per
rewritten file. Each is run K times, in rounds so
that a busy machine slows every measure alike, and the median is reported; each rekey is taken
right before its floor. The no-op \`check\` and the node:crypto floor are taken in turn at least
6 times each, \`check --offline\`, \`node -e 0\` and \`--version\` at least 10 times. Results:
\`bench/results/latest.json\`. This is a benchmark, not a test: nothing asserts on times. The
floors write nothing, while secretgen writes every file atomically (a temporary file, fsynced,
renamed; each directory fsynced once per phase): that I/O is in its times and not in the floors.

![time against N, log–log](bench.svg)

## Last run

- ${results.date.slice(0, 10)}, secretgen ${results.secretgen.version} (${results.secretgen.commit})
- Node ${m.node}, ${m.platform}, ${m.cpus} × ${m.cpuModel}
- \`--sizes ${results.options.sizes.join(",")} --repeat ${runs}${
    results.options.jobs === undefined ? "" : ` --jobs ${results.options.jobs}`
  }\`${results.sizes
    .map(
      (s) =>
        `\n- N = ${s.n}: ${s.census.bcrypts} bcrypts in the first generate; ${s.seconds} s in all${
          s.load === undefined
            ? ""
            : `; load average ${s.load[0]} at the start, ${s.load[1]} at the end`
        }`,
    )
    .join("")}

${times}

${ratios}
`;
}

/** Format with the project's Prettier config, so that \`prettier --check\` passes. */
export async function prettify(text, file) {
  try {
    const prettier = await import("prettier");
    const config = (await prettier.resolveConfig(file)) ?? {};
    return await prettier.format(text, { ...config, filepath: file });
  } catch {
    return text;
  }
}
