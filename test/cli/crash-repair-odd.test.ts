// Crash repair without churn, the kill points after an odd number of writes (see
// test/helpers/crash-repair.ts; the table is split in two files so both cores run it).
import { crashRepairSuite } from "../helpers/crash-repair.js";

crashRepairSuite((k) => k % 2 === 1);
