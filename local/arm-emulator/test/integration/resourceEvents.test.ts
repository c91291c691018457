/**
 * Azure Resource Manager's events, from writes made through the real SDKs to a queue in Azurite,
 * through a system topic and an event subscription made through ARM. The shape is Azure's:
 * MicrosoftDocs/azure-docs, articles/event-grid/event-schema-subscriptions.md (the
 * ResourceWriteSuccess, ResourceDeleteSuccess and ResourceActionSuccess samples: `topic`
 * `/subscriptions/{id}`, `dataVersion` "2", `metadataVersion` "1", `data.authorization.evidence`,
 * claims under their claim type URIs, and "httpRequest … is only included when updating an
 * existing resource or deleting a resource"); the values' formats follow
 * articles/azure-monitor/essentials/activity-log-schema.md (claims as strings, GUIDs in evidence
 * without dashes). Queue messages hold one event each, base64-encoded, as Event Grid writes them to
 * a storage queue now (MicrosoftDocs/azure-docs#102923), so the Functions queue trigger reads
 * them with its default encoding.
 */
import { execFile, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import { BlobServiceClient } from '@azure/storage-blob';
import { QueueServiceClient } from '@azure/storage-queue';
import { type RunningAzurite, startAzurite } from '@sandbox-automation/functions-host/testing';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  CONTRIBUTOR_ROLE_ID,
  STORAGE_QUEUE_DATA_MESSAGE_SENDER_ROLE_ID,
  SYSTEM_IDENTITY,
} from '../../src/index.js';
import { startTestEmulator, type TestEmulator } from '../../src/testing/startTestEmulator.js';
import {
  armClients,
  armToken,
  POLL,
  rawRequest,
  roleDefinitionId,
  servicePrincipal,
  user,
} from './armClients.js';
import {
  accountId,
  createSystemTopic,
  deadLetteredEvents,
  SINK_GROUP,
  SYSTEM_TOPIC,
  subscribeQueue,
  takeEvents,
} from './eventSink.js';

const QUEUE = 'azure-events';

const pythonMissing = spawnSync('python3', ['--version']).error !== undefined;
/** A PUT with nothing but Python's standard library. */
const pythonPut = `
import json, os, ssl, urllib.request
request = urllib.request.Request(os.environ["URL"], method="PUT",
    data=json.dumps({"location": "westeurope"}).encode(),
    headers={"Authorization": "Bearer " + os.environ["TOKEN"], "Content-Type": "application/json"})
urllib.request.urlopen(request, context=ssl.create_default_context(cafile=os.environ["CA"])).read()
`;
const RESOURCES_V = '2024-03-01';

let azurite: RunningAzurite;
let arm: TestEmulator;
let owner: ReturnType<typeof armClients>;
let sub: string;

const compact = (guid: string) => guid.replaceAll('-', '');

async function grant(principalId: string, role: string, scope = sub) {
  const assignment = randomUUID();
  await owner.authorization.roleAssignments.create(scope, assignment, {
    roleDefinitionId: roleDefinitionId(arm, role),
    principalId,
  });
  return assignment;
}

/** The delivery of the latest event to a queue, as the control API reports it. */
async function deliveryTo(queue: string) {
  const [latest] = await arm.control.events(1);
  return latest?.deliveries.find((delivery) => delivery.destination.endsWith(`/${queue}`));
}

/** Waits for Event Grid to be done, then takes the queue's events. */
async function delivered(queue = QUEUE) {
  await arm.control.eventDeliveriesSettled();
  return takeEvents(azurite, queue);
}

beforeAll(async () => {
  azurite = await startAzurite();
  arm = await startTestEmulator({ storageConnections: { '*': azurite.connectionString } });
  owner = armClients(arm);
  sub = `/subscriptions/${arm.subscriptionId}`;
  await createSystemTopic(owner, arm);
  await subscribeQueue(owner, arm, azurite, { name: 'all-events', queue: QUEUE });
  await delivered();
});
afterAll(async () => {
  await arm?.close();
  await azurite?.stop();
});

describe('the event of a write', () => {
  let alice: ReturnType<typeof user>;
  let aliceAssignment: string;

  beforeAll(async () => {
    alice = user(arm, 'alice@sandbox.test');
    aliceAssignment = await grant(alice.objectId, CONTRIBUTOR_ROLE_ID);
    await delivered();
  });

  it('reaches the queue for a group a test user creates, in the documented shape', async () => {
    // Act
    await armClients(arm, alice.credential).resources.resourceGroups.createOrUpdate('rg-alice', {
      location: 'westeurope',
      tags: { team: 'blue' },
    });
    const events = await delivered();
    // Assess
    expect(events).toEqual([
      {
        subject: `${sub}/resourcegroups/rg-alice`,
        eventType: 'Microsoft.Resources.ResourceWriteSuccess',
        eventTime: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,7})?Z$/),
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        data: {
          authorization: {
            scope: `${sub}/resourcegroups/rg-alice`,
            action: 'Microsoft.Resources/subscriptions/resourcegroups/write',
            evidence: {
              role: 'Contributor',
              roleAssignmentScope: sub,
              roleAssignmentId: compact(aliceAssignment),
              roleDefinitionId: compact(CONTRIBUTOR_ROLE_ID),
              principalId: compact(alice.objectId),
              principalType: 'User',
            },
          },
          claims: expect.objectContaining({
            iss: `https://sts.windows.net/${arm.tenantId}/`,
            appid: arm.entra.clientId,
            name: alice.displayName,
            'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn': 'alice@sandbox.test',
            'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name': 'alice@sandbox.test',
            'http://schemas.microsoft.com/identity/claims/objectidentifier': alice.objectId,
            'http://schemas.microsoft.com/identity/claims/tenantid': arm.tenantId,
            'http://schemas.microsoft.com/claims/authnmethodsreferences': 'pwd',
            ver: '1.0',
          }),
          correlationId: expect.stringMatching(/^[0-9a-f-]{36}$/),
          resourceProvider: 'Microsoft.Resources',
          resourceUri: `${sub}/resourcegroups/rg-alice`,
          operationName: 'Microsoft.Resources/subscriptions/resourceGroups/write',
          status: 'Succeeded',
          subscriptionId: arm.subscriptionId,
          tenantId: arm.tenantId,
        },
        dataVersion: '2',
        metadataVersion: '1',
        topic: sub,
      },
    ]);
  });

  it('writes every claim as a string, times included', async () => {
    // Act
    await armClients(arm, alice.credential).resources.resourceGroups.createOrUpdate('rg-claims', {
      location: 'westeurope',
    });
    const [event] = await delivered();
    // Assess
    const claims = event?.data.claims ?? {};
    expect(Object.values(claims).every((value) => typeof value === 'string')).toBe(true);
    expect(claims.iat).toMatch(/^\d{10}$/);
    expect(Number(claims.exp) - Number(claims.iat)).toBe(3600);
  });

  it("carries the HTTP request of an update, with the caller's request and correlation ids", async () => {
    // Prepare
    const token = await armToken(alice.credential);
    const clientRequestId = randomUUID();
    const correlationId = randomUUID();
    const path = `${sub}/resourcegroups/rg-alice?api-version=${RESOURCES_V}`;
    // Act
    await rawRequest(arm, 'PUT', path, {
      token,
      body: JSON.stringify({ location: 'westeurope', tags: { team: 'green' } }),
      headers: {
        'x-ms-client-request-id': clientRequestId,
        'x-ms-correlation-request-id': correlationId,
      },
    });
    const [event] = await delivered();
    // Assess
    expect(event?.data.correlationId).toBe(correlationId);
    expect(event?.data.httpRequest).toEqual({
      clientRequestId,
      clientIpAddress: '127.0.0.1',
      method: 'PUT',
      url: `${arm.endpoint}${path}`,
    });
  });

  it('names a service principal by its application id, without a user name', async () => {
    // Prepare
    const pipeline = servicePrincipal(arm, 'sandbox-pipeline');
    await grant(pipeline.objectId, CONTRIBUTOR_ROLE_ID);
    await delivered();
    // Act
    await armClients(arm, pipeline.credential).resources.resourceGroups.createOrUpdate(
      'rg-pipeline',
      { location: 'westeurope' },
    );
    const [event] = await delivered();
    // Assess
    expect(event?.data.claims).toMatchObject({
      appid: pipeline.clientId,
      idtyp: 'app',
      'http://schemas.microsoft.com/identity/claims/objectidentifier': pipeline.objectId,
      'http://schemas.microsoft.com/identity/claims/identityprovider': `https://sts.windows.net/${arm.tenantId}/`,
    });
    expect(event?.data.claims).not.toHaveProperty(
      'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn',
    );
    expect(event?.data.authorization.evidence?.principalType).toBe('ServicePrincipal');
  });

  it('names a managed identity by its client id and resource id', async () => {
    // Act
    await owner.resources.resourceGroups.createOrUpdate('rg-identity-write', {
      location: 'westeurope',
    });
    const [event] = await delivered();
    // Assess
    expect(event?.data.claims).toMatchObject({
      appid: SYSTEM_IDENTITY.clientId,
      'http://schemas.microsoft.com/identity/claims/objectidentifier': SYSTEM_IDENTITY.principalId,
      xms_mirid: expect.stringContaining('/providers/Microsoft.Web/sites/'),
    });
    expect(event?.data.authorization.evidence?.role).toBe('Owner');
  });

  it('raises ResourceWriteFailure for a write the provider refuses', async () => {
    // Prepare
    const token = await armToken(alice.credential);
    // Act
    const answer = await rawRequest(
      arm,
      'PUT',
      `${sub}/resourcegroups/rg-nowhere?api-version=${RESOURCES_V}`,
      {
        token,
        body: JSON.stringify({ location: 'atlantis' }),
      },
    );
    const [event] = await delivered();
    // Assess
    expect(answer.status).toBe(400);
    expect(event).toMatchObject({
      subject: `${sub}/resourcegroups/rg-nowhere`,
      eventType: 'Microsoft.Resources.ResourceWriteFailure',
      data: {
        status: 'Failed',
        operationName: 'Microsoft.Resources/subscriptions/resourceGroups/write',
      },
    });
  });

  it('raises no event for a request ARM refuses at the gateway', async () => {
    // Prepare
    const bob = user(arm, 'bob@sandbox.test');
    // Act
    const attempt = armClients(arm, bob.credential).resources.resourceGroups.createOrUpdate(
      'rg-bob',
      { location: 'westeurope' },
    );
    await expect(attempt).rejects.toMatchObject({ code: 'AuthorizationFailed' });
    // Assess
    expect(await delivered()).toEqual([]);
  });

  it.skipIf(pythonMissing)(
    'comes the same from a client in another language (Python, standard library only)',
    async () => {
      // Prepare
      const token = await armToken(alice.credential);
      // Act
      await promisify(execFile)('python3', ['-c', pythonPut], {
        env: {
          URL: `${arm.endpoint}${sub}/resourceGroups/rg-python?api-version=${RESOURCES_V}`,
          TOKEN: token,
          CA: arm.caCertPath,
        },
      });
      const [event] = await delivered();
      // Assess
      expect(event).toMatchObject({
        subject: `${sub}/resourceGroups/rg-python`,
        eventType: 'Microsoft.Resources.ResourceWriteSuccess',
        data: {
          claims: {
            'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn': 'alice@sandbox.test',
          },
        },
      });
    },
  );

  it('raises no event for a read', async () => {
    // Act
    await owner.resources.resourceGroups.get('rg-alice');
    // Assess
    expect(await delivered()).toEqual([]);
  });
});

describe('the event of a long-running operation', () => {
  it('goes out when a storage account create completes, with the account as subject', async () => {
    // Act
    const account = await owner.storage.storageAccounts.beginCreateAndWait(
      'rg-alice',
      'lrostorage',
      { location: 'westeurope', kind: 'StorageV2', sku: { name: 'Standard_LRS' } },
      POLL,
    );
    const events = await delivered();
    // Assess
    expect(events).toMatchObject([
      {
        subject: account.id,
        eventType: 'Microsoft.Resources.ResourceWriteSuccess',
        data: {
          operationName: 'Microsoft.Storage/storageAccounts/write',
          resourceProvider: 'Microsoft.Storage',
          status: 'Succeeded',
        },
      },
    ]);
  });

  it('reports ResourceWriteFailure when the operation ends Failed', async () => {
    // Prepare: Event Grid accepts the event subscription, then fails it: its queue's account does
    // not exist.
    const missing = `${sub}/resourceGroups/${SINK_GROUP}/providers/Microsoft.Storage/storageAccounts/nosuchaccount`;
    // Act
    const attempt = owner.eventGrid.systemTopicEventSubscriptions.beginCreateOrUpdateAndWait(
      SINK_GROUP,
      SYSTEM_TOPIC,
      'to-nowhere',
      { destination: { endpointType: 'StorageQueue', resourceId: missing, queueName: 'events' } },
      POLL,
    );
    await expect(attempt).rejects.toThrow(
      `The long-running operation has failed. Endpoint validation. Destination endpoint not found. Resource details: resourceId: ${missing}. Resource should pre-exist before attempting this operation. Activity id:`,
    );
    const events = await delivered();
    // Assess
    expect(events).toMatchObject([
      {
        eventType: 'Microsoft.Resources.ResourceWriteFailure',
        subject: expect.stringMatching(/\/eventSubscriptions\/to-nowhere$/),
        data: {
          operationName: 'Microsoft.EventGrid/systemTopics/eventSubscriptions/write',
          status: 'Failed',
        },
      },
    ]);
  });

  it('raises ResourceActionSuccess when a VM powers off, about the VM', async () => {
    // Prepare
    await arm.control.seed({
      resourceGroups: [
        {
          name: 'rg-vm',
          location: 'westeurope',
          resources: [
            {
              type: 'Microsoft.Compute/virtualMachines',
              name: 'vm1',
              location: 'westeurope',
              powerState: 'running',
            },
          ],
        },
      ],
    });
    // Act
    await owner.compute.virtualMachines.beginPowerOffAndWait('rg-vm', 'vm1', POLL);
    const [event] = await delivered();
    // Assess
    expect(event).toMatchObject({
      subject: `${sub}/resourceGroups/rg-vm/providers/Microsoft.Compute/virtualMachines/vm1`,
      eventType: 'Microsoft.Resources.ResourceActionSuccess',
      data: {
        operationName: 'Microsoft.Compute/virtualMachines/powerOff/action',
        resourceProvider: 'Microsoft.Compute',
        resourceUri: `${sub}/resourceGroups/rg-vm/providers/Microsoft.Compute/virtualMachines/vm1`,
        httpRequest: {
          method: 'POST',
          url: expect.stringMatching(/\/virtualMachines\/vm1\/powerOff\?api-version=/),
        },
      },
    });
  });
});

describe('delivery', () => {
  it('writes each event twice when the control API duplicates every delivery', async () => {
    // Prepare
    await arm.control.setEventDelivery({ duplicateRate: 1 });
    // Act
    await owner.resources.resourceGroups.createOrUpdate('rg-twice', { location: 'westeurope' });
    const events = await delivered();
    await arm.control.setEventDelivery({});
    // Assess
    expect(events).toHaveLength(2);
    expect(events[1]).toEqual(events[0]);
  });

  it('delivers out of order, reproducibly, when the control API holds events back', async () => {
    // Prepare: seed 1 holds the first of two deliveries back and not the second.
    await arm.control.setEventDelivery({ reorderRate: 0.5, seed: 1 });
    // Act
    await owner.resources.resourceGroups.createOrUpdate('rg-first', { location: 'westeurope' });
    await owner.resources.resourceGroups.createOrUpdate('rg-second', { location: 'westeurope' });
    const events = await delivered();
    await arm.control.setEventDelivery({});
    // Assess
    expect(events.map((event) => event.subject.split('/').pop())).toEqual([
      'rg-second',
      'rg-first',
    ]);
  });

  it('retries a queue that does not exist yet, and delivers once it does', async () => {
    // Prepare
    await subscribeQueue(owner, arm, azurite, {
      name: 'late-queue',
      queue: 'late-events',
      createQueue: false,
      filter: { subjectEndsWith: '/rg-late' },
    });
    await owner.resources.resourceGroups.createOrUpdate('rg-late', { location: 'westeurope' });
    const before = await vi.waitFor(async () => {
      const delivery = await deliveryTo('late-events');
      expect(delivery?.lastOutcome).toBeDefined();
      return delivery;
    });
    // Act
    await QueueServiceClient.fromConnectionString(azurite.connectionString).createQueue(
      'late-events',
    );
    const events = await delivered('late-events');
    const after = await deliveryTo('late-events');
    // Assess
    expect(before).toMatchObject({ status: 'pending', lastOutcome: 'NotFound' });
    expect(events.map((event) => event.subject)).toEqual([`${sub}/resourcegroups/rg-late`]);
    expect(after?.status).toBe('delivered');
    expect(after?.attempts).toBeGreaterThan(1);
    await takeEvents(azurite, QUEUE);
  });

  it('dead-letters to the blob container once the attempts run out', async () => {
    // Prepare
    await BlobServiceClient.fromConnectionString(azurite.connectionString).createContainer(
      'dead-letters',
    );
    await subscribeQueue(owner, arm, azurite, {
      name: 'Never-Delivered',
      queue: 'missing-queue',
      createQueue: false,
      filter: { subjectEndsWith: '/rg-dead' },
      retryPolicy: { maxDeliveryAttempts: 2, eventTimeToLiveInMinutes: 1440 },
      deadLetterContainer: 'dead-letters',
    });
    // Act
    await owner.resources.resourceGroups.createOrUpdate('rg-dead', { location: 'westeurope' });
    await delivered();
    const blobs = await deadLetteredEvents(azurite, 'dead-letters');
    // Assess
    expect(blobs).toHaveLength(1);
    expect(blobs[0]?.name).toMatch(
      /^NEVER-DELIVERED\/\d{4}\/\d{1,2}\/\d{1,2}\/\d{1,2}\/[0-9a-f-]{36}\.json$/,
    );
    expect(blobs[0]?.events).toMatchObject([
      {
        subject: `${sub}/resourcegroups/rg-dead`,
        eventType: 'Microsoft.Resources.ResourceWriteSuccess',
        deadLetterReason: 'MaxDeliveryAttemptsExceeded',
        deliveryAttempts: 2,
        lastDeliveryOutcome: 'NotFound',
        publishTime: expect.any(String),
        lastDeliveryAttemptTime: expect.any(String),
      },
    ]);
  });

  it("delivers with the topic's identity only once it may send queue messages", async () => {
    // Prepare
    const topic = await owner.eventGrid.systemTopics.beginCreateOrUpdateAndWait(
      SINK_GROUP,
      SYSTEM_TOPIC,
      {
        location: 'global',
        topicType: 'Microsoft.Resources.Subscriptions',
        source: sub,
        identity: { type: 'SystemAssigned' },
      },
      POLL,
    );
    await QueueServiceClient.fromConnectionString(azurite.connectionString).createQueue(
      'identity-events',
    );
    await owner.eventGrid.systemTopicEventSubscriptions.beginCreateOrUpdateAndWait(
      SINK_GROUP,
      SYSTEM_TOPIC,
      'with-identity',
      {
        deliveryWithResourceIdentity: {
          identity: { type: 'SystemAssigned' },
          destination: {
            endpointType: 'StorageQueue',
            resourceId: accountId(arm),
            queueName: 'identity-events',
          },
        },
        filter: { subjectEndsWith: '/rg-identity' },
      },
      POLL,
    );
    await owner.resources.resourceGroups.createOrUpdate('rg-identity', { location: 'westeurope' });
    const before = await vi.waitFor(async () => {
      const delivery = await deliveryTo('identity-events');
      expect(delivery?.lastOutcome).toBeDefined();
      return delivery;
    });
    // Act
    await grant(
      topic.identity?.principalId as string,
      STORAGE_QUEUE_DATA_MESSAGE_SENDER_ROLE_ID,
      accountId(arm),
    );
    const events = await delivered('identity-events');
    // Assess
    expect(before).toMatchObject({ status: 'pending', lastOutcome: 'Forbidden' });
    expect(events.map((event) => event.subject)).toEqual([`${sub}/resourcegroups/rg-identity`]);
    await takeEvents(azurite, QUEUE);
  });

  it('writes the CloudEvents schema when the event subscription asks for it', async () => {
    // Prepare
    await subscribeQueue(owner, arm, azurite, {
      name: 'cloud-events',
      queue: 'cloud-events',
      filter: { subjectEndsWith: '/rg-cloud' },
      extra: { eventDeliverySchema: 'CloudEventSchemaV1_0' },
    });
    // Act
    await owner.resources.resourceGroups.createOrUpdate('rg-cloud', { location: 'westeurope' });
    const [event] = (await delivered('cloud-events')) as unknown as Array<Record<string, unknown>>;
    // Assess
    expect(Object.keys(event ?? {})).toEqual([
      'id',
      'source',
      'specversion',
      'type',
      'subject',
      'time',
      'data',
    ]);
    expect(event).toMatchObject({
      source: sub,
      specversion: '1.0',
      type: 'Microsoft.Resources.ResourceWriteSuccess',
      subject: `${sub}/resourcegroups/rg-cloud`,
    });
    await takeEvents(azurite, QUEUE);
  });
});

describe('filters', () => {
  beforeAll(async () => {
    await subscribeQueue(owner, arm, azurite, {
      name: 'deletes-only',
      queue: 'deletes-only',
      filter: { includedEventTypes: ['Microsoft.Resources.ResourceDeleteSuccess'] },
    });
    await subscribeQueue(owner, arm, azurite, {
      name: 'sandboxes-only',
      queue: 'sandboxes-only',
      filter: { subjectBeginsWith: `${sub}/resourceGroups/sbx-` },
    });
    await subscribeQueue(owner, arm, azurite, {
      name: 'groups-only',
      queue: 'groups-only',
      filter: {
        advancedFilters: [
          {
            operatorType: 'StringIn',
            key: 'data.operationName',
            values: [
              'Microsoft.Resources/subscriptions/resourceGroups/write',
              'Microsoft.Resources/subscriptions/resourceGroups/delete',
            ],
          } as never,
        ],
      },
    });
    await owner.resources.resourceGroups.createOrUpdate('sbx-one', { location: 'westeurope' });
    await owner.resources.resourceGroups.beginDeleteAndWait('sbx-one', POLL);
    await owner.storage.storageAccounts.beginCreateAndWait(
      'rg-alice',
      'filteredstorage',
      { location: 'westeurope', kind: 'StorageV2', sku: { name: 'Standard_LRS' } },
      POLL,
    );
    await arm.control.eventDeliveriesSettled();
  });

  const kinds = (events: Array<{ eventType: string; subject: string }>) =>
    events.map(
      (event) =>
        `${event.eventType.replace('Microsoft.Resources.', '')} ${event.subject.split('/').pop()}`,
    );

  it('passes only the included event types', async () => {
    expect(kinds(await takeEvents(azurite, 'deletes-only'))).toEqual([
      'ResourceDeleteSuccess sbx-one',
    ]);
  });

  it('passes only subjects with the prefix, in any case', async () => {
    expect(kinds(await takeEvents(azurite, 'sandboxes-only'))).toEqual([
      'ResourceWriteSuccess sbx-one',
      'ResourceDeleteSuccess sbx-one',
    ]);
  });

  it('passes only the operations an advanced filter names', async () => {
    expect(kinds(await takeEvents(azurite, 'groups-only'))).toEqual([
      'ResourceWriteSuccess sbx-one',
      'ResourceDeleteSuccess sbx-one',
    ]);
  });
});

describe('the event of a delete', () => {
  // Group deletes take an hour here, so that a test can look before and after they complete.
  let slow: TestEmulator;
  let clients: ReturnType<typeof armClients>;

  beforeAll(async () => {
    slow = await startTestEmulator({
      storageConnections: { '*': azurite.connectionString },
      durations: { resourceGroupDelete: 3_600_000_000, vmCreate: 3_600_000_000 },
    });
    clients = armClients(slow);
    await createSystemTopic(clients, slow);
    await subscribeQueue(clients, slow, azurite, { name: 'slow-events', queue: 'slow-events' });
    await clients.resources.resourceGroups.createOrUpdate('rg-doomed', { location: 'westeurope' });
    await slow.control.eventDeliveriesSettled();
    await takeEvents(azurite, 'slow-events');
  });
  afterAll(() => slow?.close());

  it('goes out when the group delete completes, not when ARM accepts it', async () => {
    // Prepare
    const token = await armToken(clients.credential);
    const path = `/subscriptions/${slow.subscriptionId}/resourcegroups/rg-doomed?api-version=${RESOURCES_V}`;
    // Act
    const accepted = await rawRequest(slow, 'DELETE', path, { token });
    await slow.control.eventDeliveriesSettled();
    const whileRunning = await takeEvents(azurite, 'slow-events');
    await slow.control.advanceClock(3600);
    await slow.control.eventDeliveriesSettled();
    const done = await takeEvents(azurite, 'slow-events');
    // Assess
    expect(accepted.status).toBe(202);
    expect(whileRunning).toEqual([]);
    expect(done).toMatchObject([
      {
        subject: `/subscriptions/${slow.subscriptionId}/resourcegroups/rg-doomed`,
        eventType: 'Microsoft.Resources.ResourceDeleteSuccess',
        data: {
          operationName: 'Microsoft.Resources/subscriptions/resourceGroups/delete',
          status: 'Succeeded',
          httpRequest: { method: 'DELETE', url: `${slow.endpoint}${path}` },
        },
      },
    ]);
  });

  it('raises ResourceWriteCancel for a create that a delete preempts, then the delete', async () => {
    // Prepare
    await slow.control.seed({
      resourceGroups: [
        {
          name: 'rg-cancel',
          location: 'westeurope',
          resources: [
            { type: 'Microsoft.Network/networkInterfaces', name: 'nic1', location: 'westeurope' },
          ],
        },
      ],
    });
    const token = await armToken(clients.credential);
    const vm = `/subscriptions/${slow.subscriptionId}/resourceGroups/rg-cancel/providers/Microsoft.Compute/virtualMachines/vm1`;
    const nic = `/subscriptions/${slow.subscriptionId}/resourceGroups/rg-cancel/providers/Microsoft.Network/networkInterfaces/nic1`;
    const created = await rawRequest(slow, 'PUT', `${vm}?api-version=2024-07-01`, {
      token,
      body: JSON.stringify({
        location: 'westeurope',
        properties: { networkProfile: { networkInterfaces: [{ id: nic }] } },
      }),
    });
    // Act
    await rawRequest(slow, 'DELETE', `${vm}?api-version=2024-07-01`, { token });
    await slow.control.advanceClock(60);
    await slow.control.eventDeliveriesSettled();
    const events = await takeEvents(azurite, 'slow-events');
    // Assess
    expect(created.status).toBe(201);
    expect(events.map((event) => event.eventType)).toEqual([
      'Microsoft.Resources.ResourceWriteCancel',
      'Microsoft.Resources.ResourceDeleteSuccess',
    ]);
    expect(events[0]).toMatchObject({ subject: vm, data: { status: 'Canceled' } });
  });
});
