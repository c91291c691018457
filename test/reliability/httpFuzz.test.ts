/**
 * HTTP fuzzing of every route the host reports, through the real local stack. `npm test` runs a
 * short seeded run; `npm run test:fuzz` the long one (FUZZ_RUNS, default 10,000; FUZZ_SEED).
 * Each failing request is printed with its seed index, so `FUZZ_SEED=<seed>` replays it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  describeFuzzFigures,
  type FuzzTarget,
  prepareFuzzTarget,
  runHttpFuzz,
} from '../support/reliability/httpFuzz.js';
import { type Stack, startStack } from '../support/stack.js';

const runs = Number(process.env.FUZZ_RUNS ?? 200);
const seed = Number(process.env.FUZZ_SEED ?? 16_2026);

let stack: Stack;
let target: FuzzTarget;

beforeAll(async () => {
  stack = await startStack({
    // Pacing would turn most writes into 429 after the first few dozen: off, to reach deeper.
    settings: { RATE_LIMIT_BURST: '1000000', RATE_LIMIT_PER_MINUTE: '1000000' },
  });
  target = await prepareFuzzTarget(stack);
});

afterAll(async () => {
  await stack?.stop();
});

describe('HTTP fuzzing of every route', () => {
  it('finds every HTTP function of the app through the host admin API', () => {
    // Assess
    expect(target.routes.map((r) => `${r.methods.join(',')} ${r.template}`)).toEqual(
      expect.arrayContaining([
        'POST /api/sandboxes',
        'GET /api/sandboxes',
        'GET /api/sandboxes/{name}',
        'DELETE /api/sandboxes/{name}',
        'POST /api/sandboxes/{name}/extend',
        'GET /api/operations/{id}',
        'POST /api/cleanup/runs',
        'GET /api/cleanup/runs/{id}',
        'GET /api/health',
        'PATCH /api/sandboxes/{name}',
        'GET /api/power/runs/{id}',
      ]),
    );
    // Open to anyone: liveness, the API's description, the web page and what it needs to sign in.
    expect([...target.publicRoutes].sort()).toEqual([
      'clientConfig',
      'health',
      'openApiDocument',
      'webPage',
    ]);
  });

  it(
    `answers ${runs} fuzzed requests (seed ${seed}) with no 5xx, problem+json errors and no side effects`,
    async () => {
      // Act
      const figures = await runHttpFuzz(stack, target, { runs, seed });

      // Assess
      console.log(describeFuzzFigures(figures));
      expect(figures.requests).toBe(runs);
      expect(figures.reachedApp).toBeGreaterThan(runs / 2);
      expect(figures.failures.slice(0, 10)).toEqual([]);
    },
    60_000 + runs * 500,
  );
});
