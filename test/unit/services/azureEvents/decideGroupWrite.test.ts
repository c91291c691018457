import { describe, expect, it } from 'vitest';
import { adoptionOperationId } from '../../../../services/azureEvents/adoptionOperationId.js';
import {
  decideGroupWrite,
  type GroupWriteFacts,
} from '../../../../services/azureEvents/decideGroupWrite.js';
import { principalOfClaims } from '../../../../services/azureEvents/principalOfClaims.js';
import type { SandboxRecord } from '../../../../services/sandbox/SandboxRecord.js';
import type { ResourceGroupInfo } from '../../../../shared/arm/ResourceGroups.js';
import { appClaims, SUB, userClaims } from '../../../support/azureEvents/azureEventFactory.js';
import { defaultSettings } from '../../../support/azureEvents/azureEventsHarness.js';

const created = '2026-03-01T12:00:00.000Z';
const group = (tags: Record<string, string> = {}, extra: Partial<ResourceGroupInfo> = {}) => ({
  subscriptionId: SUB,
  name: 'rg-ana',
  id: `/subscriptions/${SUB}/resourceGroups/rg-ana`,
  location: 'westeurope',
  tags,
  provisioningState: 'Succeeded',
  createdTime: created,
  ...extra,
});
const ana = principalOfClaims(userClaims('ana@contoso.com', 'oid-ana'));
const facts = (change: Partial<GroupWriteFacts> = {}): GroupWriteFacts => ({
  subscriptionId: SUB,
  eventId: 'ev-1',
  eventTime: '2026-03-01T12:00:00.2Z',
  scope: 'group',
  principal: ana,
  group: group({ team: 'data' }),
  record: undefined,
  ...change,
});
const adoptionOn = {
  ...defaultSettings,
  adoption: { enabled: true, subscriptions: [SUB], ttlHours: 8 },
};

describe('decideGroupWrite: creator tags', () => {
  it('names the creator of a new group and when ARM created it, in one merge', () => {
    // Act & Assess
    expect(decideGroupWrite(facts(), defaultSettings)).toEqual({
      tags: { 'created-by': 'ana@contoso.com', 'created-at': created },
    });
  });

  it('names an application by its display name and client id', () => {
    // Prepare
    const principal = principalOfClaims({ ...appClaims('c1', 'o1'), app_displayname: 'deployer' });

    // Act & Assess
    expect(decideGroupWrite(facts({ principal }), defaultSettings).tags['created-by']).toBe(
      'deployer (c1)',
    );
  });

  it("takes the event's time when ARM gave no createdTime", () => {
    // Act
    const decision = decideGroupWrite(
      facts({ group: group({}, { createdTime: undefined }) }),
      defaultSettings,
    );

    // Assess
    expect(decision.tags).toEqual({
      'created-by': 'ana@contoso.com',
      'created-at': '2026-03-01T12:00:00.200Z',
    });
  });

  it('keeps a created-at the group has, in any case', () => {
    // Act & Assess
    expect(
      decideGroupWrite(facts({ group: group({ 'Created-At': '2020-01-01' }) }), defaultSettings)
        .tags,
    ).toEqual({ 'created-by': 'ana@contoso.com' });
  });

  it.each([
    {
      description: 'a group that has created-by already (in any case)',
      change: { group: group({ 'Created-By': 'someone' }) },
      reason: 'already-tagged',
    },
    {
      description: 'a later write to the group (an update an hour after it was created)',
      change: { eventTime: '2026-03-01T13:00:00Z' },
      reason: 'not-the-creating-write',
    },
    {
      description: "a write to the group's tags",
      change: { scope: 'tags' as const },
      reason: 'not-the-creating-write',
    },
    { description: 'a group that is gone', change: { group: undefined }, reason: 'group-gone' },
    {
      description: 'a group being deleted',
      change: { group: group({}, { provisioningState: 'Deleting' }) },
      reason: 'group-deleting',
    },
    {
      description: 'claims that name nobody',
      change: { principal: principalOfClaims({ aud: 'x' }) },
      reason: 'creator-unknown',
    },
  ])('writes nothing for $description', ({ change, reason }) => {
    // Act & Assess
    expect(decideGroupWrite(facts(change), defaultSettings)).toEqual({
      tags: {},
      noChange: reason,
    });
  });
});

describe('decideGroupWrite: adoption', () => {
  it('is off by default', () => {
    // Act & Assess
    expect(decideGroupWrite(facts(), defaultSettings).adoption).toBeUndefined();
  });

  it("makes a person's new group a sandbox: creator, owner and lease in the same merge", () => {
    // Prepare
    const operationId = adoptionOperationId(SUB, 'rg-ana', created);

    // Act
    const decision = decideGroupWrite(facts(), adoptionOn);

    // Assess
    expect(decision.tags).toEqual({
      'created-by': 'ana@contoso.com',
      'created-at': created,
      'managed-by': 'sandbox-automation',
      'sandbox-owner': 'oid-ana',
      'sandbox-owner-name': 'ana@contoso.com',
      'sandbox-expires-at': '2026-03-01T20:00:00.000Z',
      'sandbox-operation-id': operationId,
    });
    expect(decision.adoption).toEqual({
      operationId,
      record: {
        subscriptionId: SUB,
        name: 'rg-ana',
        origin: 'adopted',
        operationId,
        owner: 'oid-ana',
        ownerName: 'ana@contoso.com',
        createdBy: 'ana@contoso.com',
        createdAt: created,
        expiresAt: '2026-03-01T20:00:00.000Z',
        status: 'active',
        updatedAt: created,
      },
    });
  });

  it('keeps a lease the person wrote with the group', () => {
    // Act
    const decision = decideGroupWrite(
      facts({ group: group({ 'Sandbox-Expires-At': '2026-03-05T00:00:00Z' }) }),
      adoptionOn,
    );

    // Assess
    expect(decision.tags['sandbox-expires-at']).toBeUndefined();
    expect(decision.adoption?.record.expiresAt).toBe('2026-03-05T00:00:00Z');
  });

  it.each([
    {
      description: 'a group an application created',
      change: { principal: principalOfClaims(appClaims('c1', 'o1')) },
    },
    {
      description: 'a group another tool manages',
      change: { group: group({ 'managed-by': 'terraform' }) },
    },
    {
      description: 'a protected name',
      change: { group: group({}, { name: 'MC_aks_westeurope' }) },
    },
    { description: 'another subscription', change: { subscriptionId: 'other-sub' } },
    { description: 'a later write', change: { eventTime: '2026-03-02T12:00:00Z' } },
  ])('leaves alone $description', ({ change }) => {
    // Act & Assess
    const decision = decideGroupWrite(facts(change), adoptionOn);
    expect(decision.adoption).toBeUndefined();
    expect(decision.tags['managed-by']).toBeUndefined();
  });
});

describe('decideGroupWrite: a lease changed out of band', () => {
  const record: SandboxRecord = {
    subscriptionId: SUB,
    name: 'rg-ana',
    origin: 'provisioned',
    operationId: 'op-1',
    owner: 'oid-ana',
    createdAt: created,
    expiresAt: '2026-03-02T12:00:00.000Z',
    status: 'active',
    updatedAt: created,
  };
  const sandbox = (lease?: string) =>
    group({
      'managed-by': 'sandbox-automation',
      'sandbox-owner': 'oid-ana',
      'created-by': 'ana@contoso.com',
      ...(lease ? { 'sandbox-expires-at': lease } : {}),
    });
  const later = { eventTime: '2026-03-01T15:00:00Z', record };

  it('notes a lease that differs from the one the app last knew', () => {
    // Act & Assess
    expect(
      decideGroupWrite(
        facts({ ...later, group: sandbox('2026-03-09T00:00:00Z') }),
        defaultSettings,
      ),
    ).toEqual({
      tags: {},
      leaseChange: { from: '2026-03-02T12:00:00.000Z', to: '2026-03-09T00:00:00Z' },
    });
  });

  it('notes a lease tag removed', () => {
    // Act & Assess
    expect(
      decideGroupWrite(facts({ ...later, group: sandbox() }), defaultSettings).leaseChange,
    ).toEqual({
      from: '2026-03-02T12:00:00.000Z',
    });
  });

  it('notes it through a write to the tags alone', () => {
    // Act & Assess
    expect(
      decideGroupWrite(
        facts({ ...later, scope: 'tags', group: sandbox('2026-03-09T00:00:00Z') }),
        defaultSettings,
      ).leaseChange,
    ).toBeDefined();
  });

  it.each([
    {
      description: 'the same lease, written another way',
      lease: '2026-03-02T12:00:00Z',
      change: {},
    },
    {
      description: 'a record of an earlier group of that name',
      lease: '2026-03-09T00:00:00Z',
      change: { record: { ...record, createdAt: '2026-02-01T00:00:00.000Z' } },
    },
    {
      description: 'a record that says the sandbox is gone',
      lease: '2026-03-09T00:00:00Z',
      change: { record: { ...record, status: 'deleted' as const } },
    },
  ])('notes nothing for $description', ({ lease, change }) => {
    // Act & Assess
    expect(
      decideGroupWrite(facts({ ...later, group: sandbox(lease), ...change }), defaultSettings),
    ).toEqual({ tags: {}, noChange: 'not-the-creating-write' });
  });
});
