// The deterministic simulation, first half of the seeds (see seeds.ts and world.ts).
import { simulationSuite } from "./seeds.js";

simulationSuite(0, [1]);
