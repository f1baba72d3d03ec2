// The deterministic simulation, second half of the seeds (see seeds.ts and world.ts).
import { simulationSuite } from "./seeds.js";

simulationSuite(1, [2]);
