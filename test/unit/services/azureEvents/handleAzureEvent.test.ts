import { describe, expect, it } from 'vitest';
import { adoptionOperationId } from '../../../../services/azureEvents/adoptionOperationId.js';
import { handleAzureEvent } from '../../../../services/azureEvents/handleAzureEvent.js';
import type { Operation } from '../../../../services/provisioning/Operation.js';
import type { SandboxRecord } from '../../../../services/sandbox/SandboxRecord.js';
import { recordKeys } from '../../../../shared/records/recordKeys.js';
import { appClaims, SUB, userClaims } from '../../../support/azureEvents/azureEventFactory.js';
import {
  type AzureEventsHarness,
  azureEventsHarness,
} from '../../../support/azureEvents/azureEventsHarness.js';
import { armError } from '../../../support/fakes/InMemoryResourceGroups.js';

const ana = userClaims('ana@contoso.com', 'oid-ana');
const bob = userClaims('bob@contoso.com', 'oid-bob');

/** Delivers every event raised so far, and those the app's own writes raise, until none is left. */
async function drain(h: AzureEventsHarness) {
  const outcomes = [];
  for (let i = 0; i < h.raised.length; i++)
    outcomes.push(await handleAzureEvent(h.raised[i], h.ports));
  return outcomes;
}

/** A sandbox as provisioning leaves it: its group, created by the app, and its record. */
async function provisionedSandbox(h: AzureEventsHarness, name: string, lease: string) {
  const group = await h.groups.createOrUpdate(SUB, name, {
    location: 'westeurope',
    tags: {
      'managed-by': 'sandbox-automation',
      'sandbox-owner': 'oid-ana',
      'sandbox-expires-at': lease,
      'created-by': 'ana@contoso.com',
      'created-at': h.clock.now().toISOString(),
    },
  });
  const record: SandboxRecord = {
    subscriptionId: SUB,
    name,
    origin: 'provisioned',
    operationId: 'op-1',
    owner: 'oid-ana',
    createdBy: 'ana@contoso.com',
    createdAt: group.createdTime!,
    expiresAt: lease,
    status: 'active',
    updatedAt: group.createdTime!,
  };
  await h.records.create(recordKeys.sandbox(SUB, name, record.createdAt), record);
  return record;
}

describe('handleAzureEvent: creator tags', () => {
  it('tags a new group with its creator and keeps its other tags', async () => {
    // Prepare
    const h = azureEventsHarness();
    await h
      .as(ana)
      .createOrUpdate(SUB, 'rg-ana', { location: 'westeurope', tags: { team: 'data' } });

    // Act
    const [outcome] = await drain(h);

    // Assess
    expect(outcome).toEqual({ outcome: 'acted', actions: ['tagged'] });
    expect(h.groups.peek(SUB, 'rg-ana')?.tags).toEqual({
      team: 'data',
      'created-by': 'ana@contoso.com',
      'created-at': '2026-03-01T12:00:00.000Z',
    });
  });

  it('stops once the group is tagged: its own tag write raises one event, which it ignores', async () => {
    // Prepare
    const h = azureEventsHarness();
    await h.as(ana).createOrUpdate(SUB, 'rg-ana', { location: 'westeurope', tags: {} });

    // Act
    const outcomes = await drain(h);

    // Assess
    expect(outcomes).toEqual([
      { outcome: 'acted', actions: ['tagged'] },
      { outcome: 'ignored', reason: 'own-write' },
    ]);
    expect(h.app.writes).toEqual([{ method: 'mergeTags', name: 'rg-ana' }]);
  });

  it('writes nothing for a repeated event', async () => {
    // Prepare
    const h = azureEventsHarness();
    await h.as(ana).createOrUpdate(SUB, 'rg-ana', { location: 'westeurope', tags: {} });
    await drain(h);

    // Act
    const again = await handleAzureEvent(h.raised[0], h.ports);

    // Assess
    expect(again).toEqual({ outcome: 'no-change', reason: 'already-tagged' });
    expect(h.app.writes).toHaveLength(1);
  });

  it('records the tagging in the audit trail', async () => {
    // Prepare
    const h = azureEventsHarness();
    await h.as(ana).createOrUpdate(SUB, 'rg-ana', { location: 'westeurope', tags: {} });

    // Act
    await drain(h);

    // Assess
    expect(await h.audit()).toEqual([
      {
        at: '2026-03-01T12:00:00.000Z',
        actor: 'ana@contoso.com',
        action: 'group.creator-tagged',
        subscriptionId: SUB,
        resourceGroup: 'rg-ana',
        details: {
          tags: { 'created-by': 'ana@contoso.com', 'created-at': '2026-03-01T12:00:00.000Z' },
        },
      },
    ]);
  });

  it('changes nothing when the group is deleted before the tags reach it', async () => {
    // Prepare
    const h = azureEventsHarness();
    await h.as(ana).createOrUpdate(SUB, 'rg-ana', { location: 'westeurope', tags: {} });
    h.groups.failNext('mergeTags', armError(404, 'ResourceGroupNotFound', 'gone'));

    // Act & Assess
    expect(await handleAzureEvent(h.raised[0], h.ports)).toEqual({
      outcome: 'no-change',
      reason: 'group-gone',
    });
  });

  it('throws a transient failure, for the queue to deliver the event again', async () => {
    // Prepare
    const h = azureEventsHarness();
    await h.as(ana).createOrUpdate(SUB, 'rg-ana', { location: 'westeurope', tags: {} });
    h.groups.failNext('mergeTags', armError(503, 'ServiceUnavailable', 'try later'));

    // Act & Assess
    await expect(handleAzureEvent(h.raised[0], h.ports)).rejects.toThrow('try later');
    expect(await handleAzureEvent(h.raised[0], h.ports)).toEqual({
      outcome: 'acted',
      actions: ['tagged'],
    });
  });
});

describe('handleAzureEvent: a message that is no event', () => {
  it('goes to azure-events-poison with the reason', async () => {
    // Prepare
    const h = azureEventsHarness();

    // Act
    const outcome = await handleAzureEvent({ hello: 'world' }, h.ports);

    // Assess
    const reason =
      'Not an Azure Resource Manager event: id: Invalid input: expected string, received undefined';
    expect(outcome).toEqual({ outcome: 'poisoned', reason });
    expect(h.poison.peek()).toEqual([
      { reason, poisonedAt: '2026-03-01T12:00:00.000Z', message: { hello: 'world' } },
    ]);
  });

  it('keeps at most 16 KiB of a long message', async () => {
    // Prepare
    const h = azureEventsHarness();

    // Act
    await handleAzureEvent('x'.repeat(100_000), h.ports);

    // Assess
    expect(h.poison.peek()[0]?.message).toBe(`${'x'.repeat(16 * 1024)}…`);
  });
});

describe('handleAzureEvent: adoption', () => {
  const adoption = { enabled: true, subscriptions: [SUB], ttlHours: 8 };

  it("makes a person's new group a sandbox, with records as provisioning writes them", async () => {
    // Prepare
    const h = azureEventsHarness({ adoption });
    await h.as(ana).createOrUpdate(SUB, 'rg-ana', { location: 'westeurope', tags: {} });
    const operationId = adoptionOperationId(SUB, 'rg-ana', '2026-03-01T12:00:00.000Z');

    // Act
    const outcomes = await drain(h);

    // Assess
    expect(outcomes[0]).toEqual({ outcome: 'acted', actions: ['tagged', 'adopted'] });
    expect(h.app.writes).toEqual([{ method: 'mergeTags', name: 'rg-ana' }]);
    expect(h.groups.peek(SUB, 'rg-ana')?.tags).toMatchObject({
      'managed-by': 'sandbox-automation',
      'sandbox-owner': 'oid-ana',
      'sandbox-owner-name': 'ana@contoso.com',
      'sandbox-expires-at': '2026-03-01T20:00:00.000Z',
      'sandbox-operation-id': operationId,
      'created-by': 'ana@contoso.com',
    });
    const operation = await h.records.get<Operation>(recordKeys.operation(operationId));
    expect(operation?.value).toMatchObject({
      kind: 'adoption',
      status: 'succeeded',
      sandbox: 'rg-ana',
      owner: 'oid-ana',
      requestedBy: 'ana@contoso.com',
      expiresAt: '2026-03-01T20:00:00.000Z',
    });
    expect(Object.values(await h.sandboxRecords())).toMatchObject([
      { origin: 'adopted', operationId, status: 'active' },
    ]);
    expect((await h.audit()).map((e) => e.action)).toEqual([
      'group.creator-tagged',
      'sandbox.adopted',
    ]);
  });

  it('tells people, naming the creator as owner, and only once for a repeated event', async () => {
    // Prepare
    const h = azureEventsHarness({ adoption });
    await h.as(ana).createOrUpdate(SUB, 'rg-ana', { location: 'westeurope', tags: {} });
    await drain(h);

    // Act
    await handleAzureEvent(h.raised[0], h.ports);

    // Assess
    const operationId = adoptionOperationId(SUB, 'rg-ana', '2026-03-01T12:00:00.000Z');
    expect(h.notifications.peek()).toEqual([
      {
        kind: 'event',
        event: {
          id: expect.any(String),
          type: 'sandbox.adopted',
          subject: 'rg-ana',
          time: '2026-03-01T12:00:00.000Z',
          subscriptionId: SUB,
          data: {
            sandbox: 'rg-ana',
            owner: 'oid-ana',
            ownerName: 'ana@contoso.com',
            createdBy: 'ana@contoso.com',
            operationId,
            expiresAt: '2026-03-01T20:00:00.000Z',
            resourceGroupId: `/subscriptions/${SUB}/resourceGroups/rg-ana`,
          },
        },
      },
    ]);
    expect(await h.records.get(recordKeys.notifications.ownerWebhook(SUB, 'rg-ana'))).toMatchObject(
      {
        value: { operationId },
      },
    );
  });

  it("does not adopt an application's group", async () => {
    // Prepare
    const h = azureEventsHarness({ adoption });
    await h
      .as(appClaims('c1', 'o1'))
      .createOrUpdate(SUB, 'rg-ci', { location: 'westeurope', tags: {} });

    // Act
    await drain(h);

    // Assess
    expect(h.groups.peek(SUB, 'rg-ci')?.tags).toEqual({
      'created-by': 'c1',
      'created-at': '2026-03-01T12:00:00.000Z',
    });
    expect(await h.sandboxRecords()).toEqual({});
  });
});

describe('handleAzureEvent: changes made out of band', () => {
  it('records a sandbox deleted outside the app', async () => {
    // Prepare
    const h = azureEventsHarness();
    const record = await provisionedSandbox(h, 'ana-1', '2026-03-02T12:00:00.000Z');
    h.clock.advance(3_600_000);
    await h.as(bob).delete(SUB, 'ana-1');

    // Act
    const [outcome] = await drain(h);

    // Assess
    expect(outcome).toEqual({ outcome: 'acted', actions: ['deleted-out-of-band'] });
    expect(await h.sandboxRecords()).toEqual({
      [recordKeys.sandbox(SUB, 'ana-1', record.createdAt)]: {
        ...record,
        status: 'deleted',
        deleted: {
          at: '2026-03-01T13:00:00.000Z',
          by: 'bob@contoso.com',
          via: 'out-of-band',
          eventId: h.raised[0]!.id,
        },
        updatedAt: '2026-03-01T13:00:00.000Z',
      },
    });
    expect(await h.audit()).toMatchObject([
      {
        action: 'sandbox.deleted-out-of-band',
        actor: 'bob@contoso.com',
        resourceGroup: 'ana-1',
        operationId: 'op-1',
      },
    ]);
  });

  it('raises sandbox.deleted, saying who deleted it outside the app', async () => {
    // Prepare
    const h = azureEventsHarness();
    await provisionedSandbox(h, 'ana-1', '2026-03-02T12:00:00.000Z');
    h.clock.advance(3_600_000);
    await h.as(bob).delete(SUB, 'ana-1');

    // Act
    await drain(h);
    await handleAzureEvent(h.raised[0], h.ports);

    // Assess
    expect(h.notifications.peek().map((m) => m.event)).toEqual([
      {
        id: expect.any(String),
        type: 'sandbox.deleted',
        subject: 'ana-1',
        time: '2026-03-01T13:00:00.000Z',
        subscriptionId: SUB,
        data: {
          sandbox: 'ana-1',
          owner: 'oid-ana',
          by: 'out-of-band',
          deletedBy: 'bob@contoso.com',
          operationId: 'op-1',
        },
      },
    ]);
  });

  it("records the app's own delete, without calling it out of band", async () => {
    // Prepare
    const h = azureEventsHarness();
    await provisionedSandbox(h, 'ana-1', '2026-03-02T12:00:00.000Z');
    await h.app.delete(SUB, 'ana-1');

    // Act
    const [outcome] = await drain(h);

    // Assess
    expect(outcome).toEqual({ outcome: 'acted', actions: ['deletion-recorded'] });
    expect(Object.values(await h.sandboxRecords())[0]?.deleted?.via).toBe('app');
    expect(await h.audit()).toEqual([]);
    expect(h.notifications.peek()).toEqual([]);
  });

  it('leaves a sandbox under teardown to its teardown', async () => {
    // Prepare
    const h = azureEventsHarness();
    await provisionedSandbox(h, 'ana-1', '2026-03-02T12:00:00.000Z');
    await h.records.create(recordKeys.teardown(SUB, 'ana-1'), { operationId: 'op-td' });
    await h.records.create(recordKeys.operation('op-td'), { id: 'op-td', status: 'running' });
    await h.as(bob).delete(SUB, 'ana-1');

    // Act & Assess
    expect(await drain(h)).toEqual([{ outcome: 'no-change', reason: 'teardown-underway' }]);
  });

  it('writes a lease changed outside the app to the audit trail, once', async () => {
    // Prepare
    const h = azureEventsHarness();
    await provisionedSandbox(h, 'ana-1', '2026-03-02T12:00:00.000Z');
    h.clock.advance(3_600_000);
    await h.as(bob).mergeTags(SUB, 'ana-1', { 'sandbox-expires-at': '2026-03-09T00:00:00Z' });

    // Act
    const outcomes = await drain(h);
    const again = await handleAzureEvent(h.raised[0], h.ports);

    // Assess
    expect(outcomes).toEqual([{ outcome: 'acted', actions: ['lease-change-recorded'] }]);
    expect(again).toEqual({ outcome: 'no-change', reason: 'not-the-creating-write' });
    expect(await h.audit()).toEqual([
      {
        at: '2026-03-01T13:00:00.000Z',
        actor: 'bob@contoso.com',
        action: 'sandbox.lease-changed-out-of-band',
        subscriptionId: SUB,
        resourceGroup: 'ana-1',
        operationId: 'op-1',
        reason: 'The lease tag was changed outside the app.',
        details: { from: '2026-03-02T12:00:00.000Z', to: '2026-03-09T00:00:00Z' },
      },
    ]);
    expect(Object.values(await h.sandboxRecords())[0]?.expiresAt).toBe('2026-03-09T00:00:00Z');
  });

  it('notes nothing when someone adds a tag that is not the lease', async () => {
    // Prepare
    const h = azureEventsHarness();
    await provisionedSandbox(h, 'ana-1', '2026-03-02T12:00:00.000Z');
    h.clock.advance(3_600_000);
    await h.as(bob).mergeTags(SUB, 'ana-1', { team: 'data' });

    // Act & Assess
    expect(await drain(h)).toEqual([{ outcome: 'no-change', reason: 'not-the-creating-write' }]);
    expect(await h.audit()).toEqual([]);
  });
});
