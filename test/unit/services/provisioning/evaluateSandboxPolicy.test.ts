import { describe, expect, it } from 'vitest';
import type { ResourceSpec } from '../../../../services/provisioning/blueprints/ResourceSpec.js';
import {
  checkOwnerQuota,
  checkResourceGroupName,
  checkTags,
  checkTtl,
  evaluateSandboxPolicy,
  type PolicySubject,
} from '../../../../services/provisioning/evaluateSandboxPolicy.js';
import { SANDBOX_TAG_NAMES, TAG_LIMITS } from '../../../../services/sandbox/sandboxTags.js';
import { policyFactory } from '../../../support/provision/fixtures.js';

const vmResource = (vmSize: string, image: string): ResourceSpec => {
  const [publisher, offer, sku, version] = image.split(':');
  return {
    key: 'vm',
    kind: 'virtualMachine',
    type: 'Microsoft.Compute/virtualMachines',
    name: 'vm1',
    apiVersion: '2024-07-01',
    dependsOn: [],
    body: {
      properties: {
        hardwareProfile: { vmSize },
        storageProfile: { imageReference: { publisher, offer, sku, version } },
      },
    },
  };
};
const allowedImage = 'Canonical:0001-com-ubuntu-server-jammy:22_04-lts-gen2:latest';
const subject = (overrides: Partial<PolicySubject> = {}): PolicySubject => ({
  name: 'ana-1',
  location: 'westeurope',
  ttlHours: 8,
  userTags: {},
  resources: [],
  ...overrides,
});
const manyTags = (count: number) =>
  Object.fromEntries(Array.from({ length: count }, (_, i) => [`t${i}`, 'v']));

describe('evaluateSandboxPolicy', () => {
  const cases: { description: string; subject: PolicySubject; rules: string[] }[] = [
    { description: 'accepts a request within every rule', subject: subject(), rules: [] },
    {
      description: 'rejects a location not allowed',
      subject: subject({ location: 'brazilsouth' }),
      rules: ['location-allowed'],
    },
    {
      description: 'accepts an allowed location in another case',
      subject: subject({ location: 'WestEurope' }),
      rules: [],
    },
    {
      description: 'rejects a TTL over the maximum',
      subject: subject({ ttlHours: 169 }),
      rules: ['ttl-max'],
    },
    { description: 'accepts a TTL at the maximum', subject: subject({ ttlHours: 168 }), rules: [] },
    {
      description: 'rejects a zero TTL',
      subject: subject({ ttlHours: 0 }),
      rules: ['ttl-positive'],
    },
    {
      description: 'rejects a name over 90 characters',
      subject: subject({ name: 'a'.repeat(91) }),
      rules: ['name-length'],
    },
    {
      description: 'accepts a name of 90 characters',
      subject: subject({ name: 'a'.repeat(90) }),
      rules: [],
    },
    {
      description: 'rejects a name with a slash',
      subject: subject({ name: 'a/b' }),
      rules: ['name-characters'],
    },
    {
      description: 'rejects a name ending with a period',
      subject: subject({ name: 'ana.' }),
      rules: ['name-trailing-period'],
    },
    {
      description: 'accepts parentheses, periods and underscores',
      subject: subject({ name: 'a_(b).c-d' }),
      rules: [],
    },
    {
      description: 'rejects a VM size not allowed',
      subject: subject({ resources: [vmResource('Standard_M128', allowedImage)] }),
      rules: ['vm-size-allowed'],
    },
    {
      description: 'rejects a VM image not allowed',
      subject: subject({ resources: [vmResource('Standard_B2s', 'Evil:image:sku:1')] }),
      rules: ['vm-image-allowed'],
    },
    {
      description: 'accepts an allowed VM size and image',
      subject: subject({ resources: [vmResource('standard_b2s', allowedImage)] }),
      rules: [],
    },
    {
      description: 'reports every broken rule at once',
      subject: subject({ location: 'mars', ttlHours: 1000, userTags: { 'sandbox-owner': 'x' } }),
      rules: ['location-allowed', 'ttl-max', 'tag-reserved'],
    },
  ];
  it.each(cases)('$description', ({ subject, rules }) => {
    // Prepare
    const policy = policyFactory();

    // Act
    const violations = evaluateSandboxPolicy(subject, policy);

    // Assess
    expect(violations.map((v) => v.rule)).toEqual(rules);
  });

  it('names the allowed locations in the message', () => {
    // Act
    const [violation] = evaluateSandboxPolicy(subject({ location: 'mars' }), policyFactory());

    // Assess
    expect(violation?.message).toBe("'mars' is not one of eastus, westeurope");
  });
});

describe('checkTags', () => {
  // ARM allows 50 tags on a group; the app's own contract tags take their share.
  const own = TAG_LIMITS.maxTags - SANDBOX_TAG_NAMES.length;
  const cases: { description: string; tags: Record<string, string>; rules: string[] }[] = [
    {
      description: `accepts ${own} tags (50 with the contract tags)`,
      tags: manyTags(own),
      rules: [],
    },
    {
      description: `rejects ${own + 1} tags (51 in all)`,
      tags: manyTags(own + 1),
      rules: ['tag-count'],
    },
    {
      description: 'accepts a name of 512 characters',
      tags: { ['n'.repeat(512)]: 'v' },
      rules: [],
    },
    {
      description: 'rejects a name of 513 characters',
      tags: { ['n'.repeat(513)]: 'v' },
      rules: ['tag-name-length'],
    },
    { description: 'rejects an empty name', tags: { '': 'v' }, rules: ['tag-name-length'] },
    {
      description: 'accepts a value of 256 characters',
      tags: { team: 'v'.repeat(256) },
      rules: [],
    },
    {
      description: 'rejects a value of 257 characters',
      tags: { team: 'v'.repeat(257) },
      rules: ['tag-value-length'],
    },
    {
      description: 'rejects a name with a question mark',
      tags: { 'a?b': 'v' },
      rules: ['tag-name-characters'],
    },
    {
      description: 'rejects a contract tag',
      tags: { 'managed-by': 'me' },
      rules: ['tag-reserved'],
    },
    {
      description: 'rejects a contract tag in another case',
      tags: { 'Sandbox-Expires-At': 'x' },
      rules: ['tag-reserved'],
    },
    {
      description: 'rejects the cleanup mark',
      tags: { 'cleanup-delete-after': 'x' },
      rules: ['tag-reserved'],
    },
    {
      description: 'accepts the cleanup exemption',
      tags: { 'cleanup-exempt-until': '2030-01-01T00:00:00Z' },
      rules: [],
    },
  ];
  it.each(cases)('$description', ({ tags, rules }) => {
    // Act
    const violations = checkTags(tags);

    // Assess
    expect(violations.map((v) => v.rule)).toEqual(rules);
  });
});

describe('checkResourceGroupName', () => {
  it('rejects the empty name by length', () => {
    expect(checkResourceGroupName('').map((v) => v.rule)).toEqual(['name-length']);
  });
});

describe('checkTtl', () => {
  it('says how long a lease may last', () => {
    expect(checkTtl(200, { maxTtlHours: 168 })).toEqual([
      { rule: 'ttl-max', message: 'the lease may last at most 168 hours from now (asked for 200)' },
    ]);
  });
});

describe('checkOwnerQuota', () => {
  it.each([
    { active: 2, rules: [] },
    { active: 3, rules: ['owner-quota'] },
    { active: 9, rules: ['owner-quota'] },
  ])('with $active active sandboxes of 3 gives $rules', ({ active, rules }) => {
    expect(checkOwnerQuota(active, { maxSandboxesPerOwner: 3 }).map((v) => v.rule)).toEqual(rules);
  });
});
