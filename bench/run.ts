/**
 * `npm run bench`: every performance figure of the project, each printed with a ratio against a
 * baseline measured in the same run (the machines are shared and noisy, so only ratios compare).
 */
// @ts-expect-error: a plain ESM build script without type declarations
import { buildApp } from '../scripts/build.mjs';
import { cleanupPlanningFigures } from './cleanupPlanning.js';
import { coldStart } from './coldStart.js';
import { emulatorFigures } from './emulator.js';
import { type Figure, formatFigure } from './figure.js';
import { hostHttpFigures } from './hostHttp.js';

const benches: Array<[string, () => Promise<Figure[]>]> = [
  ['cold start', () => coldStart()],
  ['emulator', () => emulatorFigures()],
  ['cleanup planning', () => cleanupPlanningFigures()],
  ['host HTTP', () => hostHttpFigures()],
];

await buildApp();
for (const [name, bench] of benches) {
  try {
    for (const figure of await bench()) console.log(formatFigure(figure));
  } catch (error) {
    console.log(`${name}: failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  }
}
