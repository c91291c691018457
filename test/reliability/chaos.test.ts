/**
 * Chaos over every workflow of the app, on the real local stack: seeded fault storms, and kill -9
 * of the host at each step of a workflow with the host started again on the same state. `npm test`
 * runs a short version; `npm run test:chaos` the long one (CHAOS_SIZE=long, CHAOS_SEED).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChaosWorkflow } from '../support/reliability/chaos/ChaosWorkflow.js';
import {
  type ChaosFigures,
  describeChaosFigures,
  describeChaosTotals,
  runFaultStorm,
  runKillSteps,
} from '../support/reliability/chaos/runChaos.js';
import { chaosWorkflows } from '../support/reliability/chaos/workflows.js';
import { type Stack, startStack } from '../support/stack.js';

const long = process.env.CHAOS_SIZE === 'long';
const seed = Number(process.env.CHAOS_SEED ?? 16);

const workflow = (name: string) => chaosWorkflows.find((w) => w.name === name)!;

/**
 * How many instances of each workflow a storm starts (cleanup and power: how many groups or VMs
 * their one run covers).
 */
const stormSize = (w: ChaosWorkflow) => {
  if (w.name === 'cleanup') return long ? 40 : 5;
  if (w.name === 'power') return long ? 12 : 4;
  if (w.name === 'teardown') return long ? 12 : 4;
  return long ? 10 : 1;
};

const storms = long ? [seed, seed + 1] : [seed];
const faults = (faultSeed: number) => ({
  seed: faultSeed,
  status500Rate: 0.05,
  status503Rate: 0.05,
  status429Rate: 0.05,
  dropRate: 0.03,
  dropAfterProcessingRate: 0.03,
  lroFailureRate: 0.1,
  latencyMs: 5,
  latencyJitterMs: 20,
});

const STORM_BOUND_MS = 180_000;
const KILL_BOUND_MS = 90_000;

let stack: Stack;
const figures: ChaosFigures[] = [];

beforeAll(async () => {
  stack = await startStack({
    settings: {
      MAX_SANDBOXES_PER_OWNER: '10000',
      RATE_LIMIT_BURST: '100000',
      // A long run's cleanup covers more groups than this: the breaker trips and an approver approves.
      CLEANUP_MAX_DELETES: '10',
      CLEANUP_MAX_DELETE_FRACTION: '1',
      // Cleanup's items go on the queue two at a time, so its waves meet the kills and faults too.
      CLEANUP_QUEUE_AHEAD: '2',
    },
    emulator: { requestLogSize: 1_000_000 },
  });
});

afterAll(async () => {
  if (figures.length > 0) console.log(describeChaosTotals(figures));
  await stack?.stop();
});

// Kill runs come first: a storm leaves expired groups whose deletes failed, which a later
// cleanup run would take up, changing the steps a calm calibration run sees.
describe('chaos over every workflow', () => {
  const killed = long ? chaosWorkflows : [workflow('provision:vm')];
  it.each(killed.map((w) => [w.name, w] as const))(
    'kill -9 at each step of %s: the restarted host takes over, nothing lost or duplicated',
    async (_name, w) => {
      // Act
      const run = await runKillSteps(stack, w, {
        boundMs: KILL_BOUND_MS,
        count: w.name === 'cleanup' ? 5 : 1,
        // The short run kills the VM build once, mid-way: when ARM has just created the VM.
        ...(long ? {} : { only: (step) => /^PUT .*virtualmachines\/\*$/.test(step.key) }),
      });
      figures.push(run);
      console.log(describeChaosFigures(run));

      // Assess
      expect(run.kills).toBeGreaterThan(0);
      expect(run.killsMissed).toEqual([]);
      expect(run.terminal).toBe(run.sent);
      expect(run.lost).toBe(0);
      expect(run.duplicated).toBe(0);
      expect(run.findings).toEqual([]);
    },
    long ? 40 * (KILL_BOUND_MS + 30_000) : KILL_BOUND_MS * 2 + 60_000,
  );

  it.each(storms)(
    'fault storm %i: every operation ends in time, none lost or duplicated, no locked group deleted',
    async (faultSeed) => {
      // Act
      const storm = await runFaultStorm(
        stack,
        chaosWorkflows.map((w) => ({ workflow: w, count: stormSize(w) })),
        faults(faultSeed),
        STORM_BOUND_MS,
      );
      figures.push(storm);
      console.log(describeChaosFigures(storm));

      // Assess
      expect(storm.faultsInjected).toBeGreaterThan(0);
      expect(storm.terminal).toBe(storm.sent);
      expect(storm.lost).toBe(0);
      expect(storm.duplicated).toBe(0);
      expect(storm.findings).toEqual([]);
    },
    STORM_BOUND_MS + 120_000,
  );
});
