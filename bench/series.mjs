/**
 * What the benchmark measures, in table and legend order, and the ratios it reports.
 * `floor: true` marks what secretgen is compared with (dashed in the chart).
 */
export const SERIES = [
  { id: "firstGenerate", label: "first generate (1 run)" },
  { id: "noopGenerate", label: "no-op generate" },
  { id: "check", label: "no-op check" },
  { id: "checkOffline", label: "check --offline" },
  { id: "rekey", label: "rekey (db01 added to half)" },
  { id: "nodeCrypto", label: "floor: node:crypto, one process", floor: true },
  { id: "nodeCryptoInProcess", label: "floor: node:crypto, in-process", floor: true },
  { id: "ageEncryption", label: "floor: age-encryption, one process", floor: true },
  { id: "agePerFile", label: "floor: one age -d per file", floor: true },
  { id: "bareNode", label: "floor: node -e 0", floor: true },
  { id: "version", label: "secretgen --version" },
];

/** The ratios of DESIGN.md's Performance targets, from one size's median times. */
export const RATIOS = [
  {
    id: "checkOverNodeCrypto",
    label: "no-op check ÷ node:crypto floor (process)",
    target: "≤ 1.5 (N = 1000)",
    unit: "x",
    of: (t) => t.check / t.nodeCrypto,
  },
  {
    id: "agePerFileOverCheck",
    label: "age -d per file ÷ no-op check",
    target: "≥ 20 (N = 1000)",
    unit: "x",
    of: (t) => (t.agePerFile === undefined ? undefined : t.agePerFile / t.check),
  },
  {
    id: "offlineMinusNode",
    label: "check --offline − node -e 0",
    target: "≤ 150 ms (N = 1000)",
    unit: "ms",
    of: (t) => t.checkOffline - t.bareNode,
  },
  {
    id: "versionMinusNode",
    label: "--version − node -e 0",
    target: "≤ 60 ms",
    unit: "ms",
    of: (t) => t.version - t.bareNode,
  },
];
