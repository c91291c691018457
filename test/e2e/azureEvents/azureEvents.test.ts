/**
 * Azure's own events, end to end: people write to ARM through the real `@azure/arm-resources`
 * client, the emulator raises the events and Event Grid delivers them to Azurite's `azure-events`
 * queue, and the app's `azureEvents` function, in the local host, acts on them through ARM.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SandboxRecord } from '../../../services/sandbox/SandboxRecord.js';
import { APP_IDENTITY } from '../../support/appRole.js';
import { armAsUser } from '../../support/armAsUser.js';
import {
  azureEventsSettled,
  emitted,
  eventsAbout,
  eventsHandled,
  eventually,
  storedAudit,
  storedKeys,
  storedRecord,
  writesBy,
  writesToGroup,
} from '../../support/azureEvents/azureEventsE2e.js';
import { callApi, groupInEmulator, waitForOperation } from '../../support/provision/e2eClient.js';
import { type Stack, startStack } from '../../support/stack.js';

let stack: Stack;

beforeAll(async () => {
  stack = await startStack({ azureEvents: true });
});
afterAll(async () => {
  await stack?.stop();
});

/** The group as ARM holds it, once it carries `created-by` (polled, up to 30 s). */
function taggedGroup(name: string) {
  return eventually(`created-by on ${name}`, async () => {
    const group = armGroup(name);
    return group?.tags['created-by'] ? group : undefined;
  });
}

/** The group's tags and creation time, as the emulator holds them. */
function armGroup(name: string) {
  const group = groupInEmulator(stack, name);
  return (
    group && { tags: { ...group.tags }, createdTime: new Date(group.createdTime).toISOString() }
  );
}

describe('creator tags', () => {
  it("tags a group a person creates with their name and when, keeping the group's other tags", async () => {
    // Prepare
    const { client } = await armAsUser(stack.arm, 'ana@contoso.com');

    // Act
    const created = await client.resourceGroups.createOrUpdate('rg-ana-e2e', {
      location: 'westeurope',
      tags: { team: 'data', 'cost-center': '42' },
    });
    const group = await taggedGroup('rg-ana-e2e');

    // Assess
    expect(created.tags).toEqual({ team: 'data', 'cost-center': '42' });
    expect(group.tags).toEqual({
      team: 'data',
      'cost-center': '42',
      'created-by': 'ana@contoso.com',
      'created-at': group.createdTime,
    });
    expect((await client.resourceGroups.get('rg-ana-e2e')).tags).toEqual(group.tags);
  });

  it('writes once and stops: its own tag write raises an event it ignores', async () => {
    // Prepare
    const { client } = await armAsUser(stack.arm, 'bob@contoso.com');

    // Act
    await client.resourceGroups.createOrUpdate('rg-bob-loop', { location: 'westeurope' });
    await taggedGroup('rg-bob-loop');
    await azureEventsSettled(stack);
    const first = {
      writes: await writesToGroup(stack, 'rg-bob-loop'),
      events: (await eventsAbout(stack, 'rg-bob-loop')).length,
      // The ignored event may be handled before the first invocation logs its end: sorted.
      handled: eventsHandled(stack, 'rg-bob-loop')
        .map((e) => JSON.stringify([e.outcome, e.reason ?? e.actions]))
        .sort(),
    };
    await azureEventsSettled(stack);

    // Assess: bob's PUT and the app's one merge; two events; two handled, then nothing more
    expect(first.writes).toEqual([
      `PUT /subscriptions/${stack.arm.subscriptionId}/resourcegroups/rg-bob-loop`,
      `PATCH /subscriptions/${stack.arm.subscriptionId}/resourceGroups/rg-bob-loop/providers/Microsoft.Resources/tags/default`,
    ]);
    expect(first.events).toBe(2);
    expect(first.handled).toEqual(['["acted",["tagged"]]', '["ignored","own-write"]']);
    expect(await writesToGroup(stack, 'rg-bob-loop')).toEqual(first.writes);
    expect(eventsHandled(stack, 'rg-bob-loop')).toHaveLength(2);
  });

  it('writes once when Event Grid delivers events twice and out of order', async () => {
    // Prepare
    await stack.arm.control.setEventDelivery({ duplicateRate: 1, reorderRate: 0.5, seed: 14 });
    const { client } = await armAsUser(stack.arm, 'eve@contoso.com');

    try {
      // Act
      await client.resourceGroups.createOrUpdate('rg-eve-twice', { location: 'westeurope' });
      await client.tagsOperations.beginUpdateAtScopeAndWait(
        `/subscriptions/${stack.arm.subscriptionId}/resourceGroups/rg-eve-twice`,
        { operation: 'Merge', properties: { tags: { env: 'dev' } } },
      );
      const group = await eventually('tags on rg-eve-twice', async () => {
        const g = armGroup('rg-eve-twice');
        return g?.tags['created-by'] && g.tags.env ? g : undefined;
      });
      await azureEventsSettled(stack);

      const appWrites = await writesBy(stack, 'rg-eve-twice', APP_IDENTITY.clientId);
      await azureEventsSettled(stack);

      // Assess: each event came twice; the app merged the same two tags, at most once per copy
      // of the creating event (two copies handled at the same moment both find the group
      // untagged), and then never again
      expect(group.tags).toEqual({
        env: 'dev',
        'created-by': 'eve@contoso.com',
        'created-at': group.createdTime,
      });
      expect(appWrites.length).toBeGreaterThanOrEqual(1);
      expect(appWrites.length).toBeLessThanOrEqual(2);
      expect(await writesBy(stack, 'rg-eve-twice', APP_IDENTITY.clientId)).toEqual(appWrites);
      const handled = eventsHandled(stack, 'rg-eve-twice');
      expect(handled.length).toBe(2 * (2 + appWrites.length));
    } finally {
      await stack.arm.control.setEventDelivery({});
    }
  });

  it("tags a sandbox the app creates with the requesting user, in the group's own write", async () => {
    // Act
    const accepted = await callApi(stack, '/api/sandboxes', {
      as: 'olga@contoso.com',
      body: { name: 'olga-events-1', location: 'westeurope', blueprint: 'empty', ttlHours: 8 },
    });
    const operation = await waitForOperation(stack, accepted.json.operationId);
    await azureEventsSettled(stack);

    // Assess
    expect(operation.status).toBe('succeeded');
    expect(armGroup('olga-events-1')?.tags).toMatchObject({ 'created-by': 'olga@contoso.com' });
    expect(await writesToGroup(stack, 'olga-events-1')).toEqual([
      `PUT /subscriptions/${stack.arm.subscriptionId}/resourcegroups/olga-events-1`,
    ]);
    expect(eventsHandled(stack, 'olga-events-1').map((e) => e.reason)).toEqual(['own-write']);
  });
});

describe('out-of-band changes', () => {
  it('records a sandbox deleted outside the app and raises sandbox.deleted', async () => {
    // Prepare: ana's sandbox, through the API
    const accepted = await callApi(stack, '/api/sandboxes', {
      as: 'ana@contoso.com',
      body: { name: 'ana-oob-1', location: 'westeurope', blueprint: 'empty', ttlHours: 8 },
    });
    const operation = await waitForOperation(stack, accepted.json.operationId);
    const [key] = await storedKeys(stack, `sandbox-records/${stack.arm.subscriptionId}/ana-oob-1/`);
    const { client } = await armAsUser(stack.arm, 'bob@contoso.com');

    // Act: bob deletes it as the portal would
    await client.resourceGroups.beginDeleteAndWait('ana-oob-1', { updateIntervalInMs: 50 });
    const record = await eventually('the record says deleted', async () => {
      const r = await storedRecord<SandboxRecord>(stack, key!);
      return r?.status === 'deleted' ? r : undefined;
    });

    // Assess
    expect(record).toMatchObject({
      name: 'ana-oob-1',
      origin: 'provisioned',
      operationId: operation.id,
      status: 'deleted',
      deleted: { by: 'bob@contoso.com', via: 'out-of-band' },
    });
    const day = record.deleted!.at.slice(0, 10);
    const audit = await storedAudit(stack, `audit/${day}/`);
    expect(
      audit.some(
        (e) => e.action === 'sandbox.deleted-out-of-band' && e.resourceGroup === 'ana-oob-1',
      ),
    ).toBe(true);
    await eventually('sandbox.deleted emitted', async () =>
      emitted(stack, 'sandbox.deleted') ? true : undefined,
    );
  });

  it('writes a lease changed outside the app to the audit trail', async () => {
    // Prepare
    const accepted = await callApi(stack, '/api/sandboxes', {
      as: 'ana@contoso.com',
      body: { name: 'ana-lease-1', location: 'westeurope', blueprint: 'empty', ttlHours: 8 },
    });
    await waitForOperation(stack, accepted.json.operationId);
    const { client } = await armAsUser(stack.arm, 'bob@contoso.com');

    // Act: bob moves the lease with `az group update --set tags.sandbox-expires-at=…`
    await client.tagsOperations.beginUpdateAtScopeAndWait(
      `/subscriptions/${stack.arm.subscriptionId}/resourceGroups/ana-lease-1`,
      {
        operation: 'Merge',
        properties: { tags: { 'sandbox-expires-at': '2030-01-01T00:00:00Z' } },
      },
    );
    const entry = await eventually('the audit entry', async () =>
      (await storedAudit(stack, 'audit/')).find(
        (e) =>
          e.action === 'sandbox.lease-changed-out-of-band' && e.resourceGroup === 'ana-lease-1',
      ),
    );

    // Assess
    expect(entry).toMatchObject({
      actor: 'bob@contoso.com',
      action: 'sandbox.lease-changed-out-of-band',
      details: { to: '2030-01-01T00:00:00Z' },
    });
  });
});

describe('adoption', () => {
  it('is off by default: a person’s group gets only its creator tags', async () => {
    // Prepare
    const { client } = await armAsUser(stack.arm, 'olga@contoso.com');

    // Act
    await client.resourceGroups.createOrUpdate('rg-olga-stray', { location: 'westeurope' });
    const group = await taggedGroup('rg-olga-stray');
    await azureEventsSettled(stack);

    // Assess
    expect(Object.keys(group.tags).sort()).toEqual(['created-at', 'created-by']);
    expect((await callApi(stack, '/api/sandboxes/rg-olga-stray')).status).toBe(404);
  });

  it("when on, makes a person's new group a sandbox they own, with the default lease", async () => {
    // Prepare
    await stack.stopHost();
    await stack.startHost({ ADOPTION: 'on', DEFAULT_TTL_HOURS: '6' });
    const { client, objectId } = await armAsUser(stack.arm, 'olga@contoso.com');

    // Act
    await client.resourceGroups.createOrUpdate('rg-olga-adopted', { location: 'westeurope' });
    const group = await taggedGroup('rg-olga-adopted');
    const sandbox = await callApi(stack, '/api/sandboxes/rg-olga-adopted', {
      as: 'olga@contoso.com',
    });

    // Assess
    const createdAt = Date.parse(group.createdTime);
    expect(group.tags).toMatchObject({
      'managed-by': 'sandbox-automation',
      'sandbox-owner': objectId,
      'sandbox-owner-name': 'olga@contoso.com',
      'sandbox-expires-at': new Date(createdAt + 6 * 3_600_000).toISOString(),
      'created-by': 'olga@contoso.com',
    });
    expect(sandbox.status).toBe(200);
    expect(sandbox.json).toMatchObject({ name: 'rg-olga-adopted', owner: objectId });
    const adoption = await callApi(stack, `/api/operations/${group.tags['sandbox-operation-id']}`, {
      as: 'olga@contoso.com',
    });
    expect(adoption.json).toMatchObject({ kind: 'adoption', status: 'succeeded' });
    await eventually('sandbox.adopted emitted', async () =>
      emitted(stack, 'sandbox.adopted') ? true : undefined,
    );
  });
});
