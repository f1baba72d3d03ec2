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
  { id: "rekeyAdmin", label: "rekey (an admin added: every file)" },
  { id: "nodeCrypto", label: "floor: node:crypto, one process", floor: true },
  { id: "nodeCryptoInProcess", label: "floor: node:crypto, in-process", floor: true },
  { id: "ageEncryption", label: "floor: age-encryption, one process", floor: true },
  { id: "agePerFile", label: "floor: one age -d per file", floor: true },
  { id: "bareNode", label: "floor: node -e 0", floor: true },
  { id: "version", label: "secretgen --version" },
  { id: "floorFirst", label: "floor: encrypt what generate writes (node:crypto)", floor: true },
  { id: "floorBcrypt", label: "floor: the bcrypts, on the cores", floor: true },
  { id: "floorBcryptFirst", label: "floor: the bcrypts, beside the first generate", floor: true },
  {
    id: "floorRekey",
    label: "floor: decrypt entropy + db01's files, encrypt these (node:crypto)",
    floor: true,
  },
  {
    id: "floorRekeyAdmin",
    label: "floor: decrypt + encrypt every file (node:crypto)",
    floor: true,
  },
  { id: "agenixRekey", label: "agenix way: age -d + age -e per db01 file", floor: true },
  { id: "agenixRekeyAdmin", label: "agenix way: age -d + age -e per file", floor: true },
];

const ratio = (a, b) => (a === undefined || b === undefined ? undefined : a / b);

/** The ratios of the Performance targets (issue 20), from one size's median times. */
export const RATIOS = [
  {
    id: "checkOverNodeCrypto",
    label: "no-op check ÷ node:crypto floor (process)",
    target: "≤ 1.2 (N = 1000), ≤ 1.5 (N = 10000)",
    unit: "x",
    of: (t) => ratio(t.check, t.nodeCrypto),
  },
  {
    id: "offlineMinusNode",
    label: "check --offline − node -e 0",
    target: "≤ 120 ms (N = 1000)",
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
  {
    id: "rekeyOverFloor",
    label: "rekey (db01 added) ÷ its node:crypto floor",
    target: "≤ 1.5 (N = 1000)",
    unit: "x",
    of: (t) => ratio(t.rekey, t.floorRekey),
  },
  {
    id: "rekeyAdminOverFloor",
    label: "rekey (admin added) ÷ its node:crypto floor",
    target: "≤ 1.5 (N = 1000)",
    unit: "x",
    of: (t) => ratio(t.rekeyAdmin, t.floorRekeyAdmin),
  },
  {
    id: "firstOverFloor",
    label: "first generate ÷ max(bcrypt floor, encryption floor)",
    target: "≤ 1.3 (N = 1000)",
    unit: "x",
    // the floors taken right before and right after the (single) first generate
    of: (t) =>
      t.floorBcryptFirst === undefined || t.floorFirstAdjacent === undefined
        ? undefined
        : t.firstGenerate / Math.max(t.floorBcryptFirst, t.floorFirstAdjacent),
  },
  {
    id: "agenixOverRekey",
    label: "agenix way ÷ rekey (db01 added)",
    target: "reported",
    unit: "x",
    of: (t) => ratio(t.agenixRekey, t.rekey),
  },
  {
    id: "agenixOverRekeyAdmin",
    label: "agenix way ÷ rekey (admin added)",
    target: "reported",
    unit: "x",
    of: (t) => ratio(t.agenixRekeyAdmin, t.rekeyAdmin),
  },
  {
    id: "agePerFileOverCheck",
    label: "age -d per file ÷ no-op check",
    target: "reported (retired)",
    unit: "x",
    of: (t) => ratio(t.agePerFile, t.check),
  },
];
