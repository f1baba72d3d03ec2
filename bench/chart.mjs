/**
 * docs/bench.svg: median time against N for every measure and floor, log–log, with a legend.
 * Hand-written SVG, no dependency. `node bench/chart.mjs` redraws it from
 * bench/results/latest.json.
 */
import process from "node:process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { SERIES } from "./series.mjs";

const COLORS = {
  firstGenerate: "#d62728",
  noopGenerate: "#ff7f0e",
  check: "#1f77b4",
  checkOffline: "#2ca02c",
  rekey: "#9467bd",
  version: "#bcbd22",
  nodeCrypto: "#17becf",
  nodeCryptoInProcess: "#7fb8c4",
  ageEncryption: "#8c564b",
  agePerFile: "#222222",
  bareNode: "#7f7f7f",
  rekeyAdmin: "#e377c2",
  floorFirst: "#d62728",
  floorBcrypt: "#ff9896",
  floorBcryptFirst: "#ffbb78",
  floorRekey: "#9467bd",
  floorRekeyAdmin: "#e377c2",
  agenixRekey: "#c5b0d5",
  agenixRekeyAdmin: "#f7b6d2",
};

const WIDTH = 1000;
const HEIGHT = 520;
const PLOT = { left: 80, top: 56, width: 480, height: 400 };
const LEGEND_X = 610;

function escape(text) {
  return String(text).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

function timeLabel(ms) {
  if (ms >= 1000) return `${ms / 1000} s`;
  return `${ms} ms`;
}

/** [low, high] decades (powers of ten) around the values, at least one decade apart. */
function decades(values) {
  const lo = Math.floor(Math.log10(Math.min(...values)));
  const hi = Math.ceil(Math.log10(Math.max(...values)));
  return hi > lo ? [lo, hi] : [lo, lo + 1];
}

/** The SVG text of the chart for a results document (see run.mjs). */
export function chart(results) {
  const sizes = results.sizes.map((s) => s.n);
  const values = results.sizes.flatMap((s) =>
    Object.values(s.times)
      .map((t) => t.median)
      .filter((v) => v > 0),
  );
  const [xlo, xhi] = decades(sizes);
  const [ylo, yhi] = decades(values);
  const x = (n) => PLOT.left + ((Math.log10(n) - xlo) / (xhi - xlo)) * PLOT.width;
  const y = (ms) => PLOT.top + PLOT.height - ((Math.log10(ms) - ylo) / (yhi - ylo)) * PLOT.height;
  const f = (v) => v.toFixed(1);
  const out = [];
  const line = (x1, y1, x2, y2, style) =>
    out.push(`<line x1="${f(x1)}" y1="${f(y1)}" x2="${f(x2)}" y2="${f(y2)}" ${style}/>`);
  const text = (tx, ty, s, style = "") =>
    out.push(`<text x="${f(tx)}" y="${f(ty)}" ${style}>${escape(s)}</text>`);

  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="sans-serif" font-size="12">`,
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="#ffffff"/>`,
  );
  text(
    PLOT.left,
    24,
    "secretgen benchmark: median time against number of secrets (log–log)",
    'font-size="15" font-weight="bold"',
  );
  const m = results.machine;
  text(
    PLOT.left,
    42,
    `${results.date.slice(0, 10)}, secretgen ${results.secretgen.version} (${results.secretgen.commit}), Node ${m.node}, ${m.cpus} × ${m.cpuModel}`,
    'font-size="11" fill="#555555"',
  );

  // Grid: every decade and its 2–9 multiples on y; decades and the measured sizes on x.
  for (let d = ylo; d <= yhi; d++) {
    const ms = 10 ** d;
    line(PLOT.left, y(ms), PLOT.left + PLOT.width, y(ms), 'stroke="#cccccc"');
    text(PLOT.left - 8, y(ms) + 4, timeLabel(ms), 'text-anchor="end"');
    if (d < yhi) {
      for (let k = 2; k <= 9; k++)
        line(PLOT.left, y(k * ms), PLOT.left + PLOT.width, y(k * ms), 'stroke="#eeeeee"');
    }
  }
  const xticks = new Set(sizes);
  for (let d = xlo; d <= xhi; d++) xticks.add(10 ** d);
  for (const n of xticks) {
    line(x(n), PLOT.top, x(n), PLOT.top + PLOT.height, 'stroke="#cccccc"');
    text(x(n), PLOT.top + PLOT.height + 18, n.toLocaleString("en-US"), 'text-anchor="middle"');
  }
  out.push(
    `<rect x="${PLOT.left}" y="${PLOT.top}" width="${PLOT.width}" height="${PLOT.height}" fill="none" stroke="#333333"/>`,
  );
  text(
    PLOT.left + PLOT.width / 2,
    PLOT.top + PLOT.height + 40,
    "N, number of secrets",
    'text-anchor="middle"',
  );
  text(
    22,
    PLOT.top + PLOT.height / 2,
    "time (median)",
    `text-anchor="middle" transform="rotate(-90 22 ${PLOT.top + PLOT.height / 2})"`,
  );

  // One polyline with markers per series; floors dashed.
  let ly = PLOT.top + 6;
  for (const s of SERIES) {
    const points = results.sizes
      .filter((z) => z.times[s.id]?.median > 0)
      .map((z) => [x(z.n), y(z.times[s.id].median)]);
    if (points.length === 0) continue;
    const color = COLORS[s.id] ?? "#000000";
    const dash = s.floor ? ' stroke-dasharray="6 4"' : "";
    out.push(
      `<polyline points="${points.map(([px, py]) => `${f(px)},${f(py)}`).join(" ")}" fill="none" stroke="${color}" stroke-width="2"${dash}/>`,
    );
    for (const [px, py] of points)
      out.push(`<circle cx="${f(px)}" cy="${f(py)}" r="3.5" fill="${color}"/>`);
    line(LEGEND_X, ly, LEGEND_X + 30, ly, `stroke="${color}" stroke-width="2"${dash}`);
    out.push(`<circle cx="${LEGEND_X + 15}" cy="${ly}" r="3.5" fill="${color}"/>`);
    text(LEGEND_X + 38, ly + 4, s.label);
    ly += 20;
  }
  text(LEGEND_X, ly + 10, "solid: secretgen; dashed: floors", 'font-size="11" fill="#555555"');
  text(
    LEGEND_X,
    ly + 26,
    `medians of ${results.options.repeat} runs, one benchmark run`,
    'font-size="11" fill="#555555"',
  );
  out.push("</svg>");
  return out.join("\n") + "\n";
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const root = join(import.meta.dirname, "..");
  const results = JSON.parse(readFileSync(join(root, "bench/results/latest.json"), "utf8"));
  writeFileSync(join(root, "docs/bench.svg"), chart(results));
}
