import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  defineBlueprint,
  layoutBlueprint,
} from '../../../../../services/provisioning/blueprints/Blueprint.js';

const context = {
  subscriptionId: 's',
  sandbox: 'sb',
  location: 'westeurope',
  parameters: {},
  secret: () => 'x',
};

describe('defineBlueprint', () => {
  it.each([
    { description: 'an upper-case name', name: 'Storage', description_: 'd' },
    { description: 'an empty description', name: 'ok', description_: '' },
  ])('rejects $description at load time', ({ name, description_ }) => {
    expect(() =>
      defineBlueprint({
        name,
        description: description_,
        parameters: z.object({}),
        resources: () => [],
      }),
    ).toThrow();
  });
});

describe('layoutBlueprint', () => {
  it('fills parameter defaults', () => {
    // Prepare
    const blueprint = defineBlueprint({
      name: 'demo',
      description: 'd',
      parameters: z.object({ size: z.string().default('small') }).strict(),
      resources: () => [],
    });

    // Act
    const layout = layoutBlueprint(blueprint, context);

    // Assess
    expect(layout.parameters).toEqual({ size: 'small' });
  });

  it('refuses a blueprint that lays out an invalid resource', () => {
    // Prepare
    const broken = defineBlueprint({
      name: 'broken',
      description: 'd',
      parameters: z.object({}),
      resources: () => [
        { key: 'x', kind: 'generic', type: 'NoNamespace', name: 'x', apiVersion: 'v1', body: {} },
      ],
    });

    // Act
    const act = () => layoutBlueprint(broken, context);

    // Assess
    expect(act).toThrow(
      expect.objectContaining({ name: 'BlueprintPlanError', code: 'InvalidBlueprint' }),
    );
  });
});
