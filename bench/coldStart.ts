import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Figure } from './figure.js';
import { summarize } from './figure.js';

const run = promisify(execFile);
const root = join(import.meta.dirname, '..');
const child = join(import.meta.dirname, 'coldStartChild.mjs');

/** What an app that imports the Azure SDK clients at the top of its modules loads before work. */
const eagerBaseline = [
  '@azure/functions',
  '@azure/identity',
  '@azure/arm-resources',
  '@azure/arm-compute',
  '@azure/storage-blob',
];

async function loadOnce(specifiers: string[]): Promise<{ ms: number; functions: number }> {
  const { stdout } = await run(process.execPath, [child, ...specifiers], { cwd: root });
  return JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}');
}

/**
 * Cold start: a fresh process loads the built app's entry (package.json `main`), against a
 * fresh process that eagerly imports the SDK clients unbundled. Runs alternate so that noise
 * on this shared machine falls on both sides alike.
 */
export async function coldStart(rounds = 15): Promise<Figure[]> {
  const entry = join(root, 'dist', 'app', 'index.js');
  if (!existsSync(entry))
    throw new Error('dist/app/index.js is missing: run `npm run build` first');
  const app: number[] = [];
  const eager: number[] = [];
  let functions = 0;
  await loadOnce([entry]);
  await loadOnce(eagerBaseline);
  for (let i = 0; i < rounds; i++) {
    const result = await loadOnce([entry]);
    functions = result.functions;
    app.push(result.ms);
    eager.push((await loadOnce(eagerBaseline)).ms);
  }
  const appMedian = summarize(app);
  const eagerMedian = summarize(eager);
  return [
    {
      name: `cold start: load built app (${functions} functions registered)`,
      value: appMedian.median,
      unit: 'ms',
      detail: `p90 ${appMedian.p90.toFixed(1)} ms over ${rounds} fresh processes`,
      baseline: {
        name: 'eager unbundled SDK imports',
        value: eagerMedian.median,
        detail: `p90 ${eagerMedian.p90.toFixed(1)} ms`,
      },
    },
  ];
}
