import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { planBlueprint } from '../../../../../services/provisioning/blueprints/planBlueprint.js';
import type { ResourceSpec } from '../../../../../services/provisioning/blueprints/ResourceSpec.js';

const spec = (key: string, dependsOn: string[] = []): ResourceSpec => ({
  key,
  kind: 'generic',
  type: 'Microsoft.Example/things',
  name: key,
  apiVersion: '2024-01-01',
  dependsOn,
  body: {},
});
const keysOf = (waves: ResourceSpec[][]) => waves.map((wave) => wave.map((r) => r.key));

describe('planBlueprint', () => {
  const cases = [
    { description: 'an empty blueprint has no waves', resources: [], waves: [] },
    {
      description: 'a chain gives one resource per wave, whatever the input order',
      resources: [spec('vm', ['nic']), spec('vnet'), spec('nic', ['vnet'])],
      waves: [['vnet'], ['nic'], ['vm']],
    },
    {
      description: 'independent resources share a wave',
      resources: [spec('a'), spec('b'), spec('c', ['a', 'b'])],
      waves: [['a', 'b'], ['c']],
    },
    {
      description: 'a diamond puts both branches in one wave',
      resources: [
        spec('top'),
        spec('left', ['top']),
        spec('right', ['top']),
        spec('bottom', ['left', 'right']),
      ],
      waves: [['top'], ['left', 'right'], ['bottom']],
    },
  ];
  it.each(cases)('$description', ({ resources, waves }) => {
    // Act
    const plan = planBlueprint('test', resources);

    // Assess
    expect(keysOf(plan)).toEqual(waves);
  });

  const failures = [
    {
      description: 'rejects a cycle',
      resources: [spec('a', ['b']), spec('b', ['a'])],
      message: "Blueprint 'test': dependency cycle among a, b",
    },
    {
      description: 'rejects a self-dependency',
      resources: [spec('a', ['a'])],
      message: "Blueprint 'test': dependency cycle among a",
    },
    {
      description: 'rejects an unknown dependency',
      resources: [spec('a', ['ghost'])],
      message: "Blueprint 'test': 'a' depends on unknown resource 'ghost'",
    },
    {
      description: 'rejects a duplicate key',
      resources: [spec('a'), spec('a')],
      message: "Blueprint 'test': duplicate resource key 'a'",
    },
  ];
  it.each(failures)('$description', ({ resources, message }) => {
    // Act
    const act = () => planBlueprint('test', resources);

    // Assess
    expect(act).toThrow(message);
  });

  it('places every resource exactly once, after all it depends on (property)', () => {
    // Prepare: random DAGs, each node depending only on earlier nodes, then shuffled.
    const dag = fc
      .integer({ min: 1, max: 12 })
      .chain((n) =>
        fc.tuple(
          fc.tuple(
            ...Array.from({ length: n }, (_, i) =>
              fc.subarray(Array.from({ length: i }, (_, j) => `r${j}`)),
            ),
          ),
          fc.infiniteStream(fc.nat()),
        ),
      )
      .map(([deps]) => deps.map((d, i) => spec(`r${i}`, d)))
      .chain((resources) => fc.shuffledSubarray(resources, { minLength: resources.length }));

    fc.assert(
      fc.property(dag, (resources) => {
        // Act
        const waves = planBlueprint('random', resources);

        // Assess
        const waveOf = new Map(waves.flatMap((wave, i) => wave.map((r) => [r.key, i] as const)));
        expect(waveOf.size).toBe(resources.length);
        for (const r of resources) {
          for (const d of r.dependsOn) expect(waveOf.get(d)!).toBeLessThan(waveOf.get(r.key)!);
        }
      }),
    );
  });
});
