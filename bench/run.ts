/**
 * `npm run bench`: every performance figure of the project, each printed with a ratio against a
 * baseline measured in the same run (the machines are shared and noisy, so only ratios compare).
 * `npm run bench -- <name>…` runs only the benchmarks named (for example `cleanup-apply`).
 */
// @ts-expect-error: a plain ESM build script without type declarations
import { buildApp } from '../scripts/build.mjs';
import { azuriteFigures } from './azurite.js';
import { cleanupApplyFigures } from './cleanupApply.js';
import { cleanupPlanningFigures } from './cleanupPlanning.js';
import { coldStart } from './coldStart.js';
import { emulatorFigures } from './emulator.js';
import { type Figure, formatFigure } from './figure.js';
import { hostHttpFigures } from './hostHttp.js';
import { planningDispatchFigures } from './planningDispatch.js';
import { provisioningFigures } from './provisioning.js';

const benches: Array<[string, () => Promise<Figure[]>]> = [
  ['cold-start', () => coldStart()],
  ['emulator', () => emulatorFigures()],
  ['cleanup-planning', () => cleanupPlanningFigures()],
  ['host-http', () => hostHttpFigures()],
  ['planning-dispatch', () => planningDispatchFigures()],
  ['provisioning', () => provisioningFigures()],
  ['azurite', () => azuriteFigures()],
  // The longest last: two runs on the local stack, 1,000 and 5,000 groups at ARM's pace.
  ['cleanup-apply', () => cleanupApplyFigures()],
];

const wanted = process.argv.slice(2);
const unknown = wanted.filter((name) => !benches.some(([known]) => known === name));
if (unknown.length > 0) {
  console.log(
    `unknown benchmark ${unknown.join(', ')}; known: ${benches.map(([n]) => n).join(', ')}`,
  );
  process.exit(2);
}

await buildApp();
for (const [name, bench] of benches) {
  if (wanted.length > 0 && !wanted.includes(name)) continue;
  try {
    for (const figure of await bench()) console.log(formatFigure(figure));
  } catch (error) {
    console.log(`${name}: failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  }
}
