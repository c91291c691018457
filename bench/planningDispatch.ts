import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { setupTestCertificates } from '@sandbox-automation/arm-emulator/testing';
import type { Figure } from './figure.js';

const run = promisify(execFile);
const root = join(import.meta.dirname, '..');

/**
 * Planning and dispatch of an apply run (list the groups and the locks, classify, write the plan,
 * write the item rows, enqueue a message per item) over 10,000 expired groups, against 1,000, with
 * the real adapters over Azurite and the ARM emulator (see `planningDispatchChild.ts`).
 */
export async function planningDispatchFigures(small = 1_000, large = 10_000): Promise<Figure[]> {
  // The child trusts the emulator's CA through NODE_EXTRA_CA_CERTS, set here for it to inherit.
  await setupTestCertificates(join(root, '.local', 'certs'));
  const { stdout } = await run(
    process.execPath,
    [
      '--import',
      'tsx',
      join(import.meta.dirname, 'planningDispatchChild.ts'),
      String(small),
      String(large),
    ],
    { cwd: root, env: process.env, maxBuffer: 16 * 1024 * 1024 },
  );
  const results = stdout
    .trim()
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as { groups: number; seconds: number; enqueued: number });
  const [s, l] = [results.find((r) => r.groups === small), results.find((r) => r.groups === large)];
  if (!s || !l) throw new Error(`planning and dispatch gave no figures: ${stdout}`);
  return [
    {
      name: `cleanup planning and dispatch: ${l.groups} expired groups, per group`,
      value: (l.seconds / l.groups) * 1000,
      unit: 'ms',
      detail: `${l.seconds.toFixed(1)} s for the whole run (${l.enqueued} items enqueued); ${s.seconds.toFixed(1)} s for ${s.groups}`,
      baseline: {
        name: `per group for ${s.groups} groups`,
        value: (s.seconds / s.groups) * 1000,
      },
    },
  ];
}
