import { describe, expect, it } from 'vitest';
import {
  resourceIdOf,
  resourceSpecSchema,
} from '../../../../../services/provisioning/blueprints/ResourceSpec.js';

describe('resourceIdOf', () => {
  const cases = [
    {
      description: 'a top-level resource',
      spec: { type: 'Microsoft.Storage/storageAccounts', name: 'acct' },
      id: '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/acct',
    },
    {
      description: 'a nested resource interleaves types and names',
      spec: {
        type: 'Microsoft.Storage/storageAccounts/blobServices/containers',
        name: 'acct/default/data',
      },
      id: '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/acct/blobServices/default/containers/data',
    },
  ];
  it.each(cases)('$description', ({ spec, id }) => {
    expect(resourceIdOf('s', 'rg', spec)).toBe(id);
  });
});

describe('resourceSpecSchema', () => {
  const valid = {
    key: 'account',
    kind: 'generic',
    type: 'Microsoft.Storage/storageAccounts',
    name: 'acct',
    apiVersion: '2023-05-01',
    body: {},
  };
  const cases = [
    { description: 'accepts a valid spec and defaults dependsOn', input: valid, ok: true },
    {
      description: 'rejects a name with the wrong number of segments',
      input: { ...valid, name: 'a/b' },
      ok: false,
    },
    {
      description: 'rejects a bad api-version',
      input: { ...valid, apiVersion: 'latest' },
      ok: false,
    },
    {
      description: 'rejects a VM of another type',
      input: { ...valid, kind: 'virtualMachine' },
      ok: false,
    },
    { description: 'rejects unknown fields', input: { ...valid, extra: 1 }, ok: false },
  ];
  it.each(cases)('$description', ({ input, ok }) => {
    // Act
    const result = resourceSpecSchema.safeParse(input);

    // Assess
    expect(result.success).toBe(ok);
    if (result.success) expect(result.data.dependsOn).toEqual([]);
  });
});
