/**
 * Event Grid's system topics and event subscriptions as ARM serves them, through
 * `@azure/arm-eventgrid` (api-version 2022-06-15) and raw HTTPS for the shapes the SDK hides.
 * References: Azure/azure-rest-api-specs, specification/eventgrid/resource-manager/
 * Microsoft.EventGrid/EventGrid/stable/2022-06-15/examples (SystemTopics_CreateOrUpdate,
 * SystemTopicEventSubscriptions_ListBySystemTopic); the `operationsStatus` polling URL and the
 * failure messages as Event Grid's answers quote them (hashicorp/terraform-provider-azurerm issues,
 * Azure-Samples/AzureMapsCodeSamples#75, MicrosoftDocs/azure-docs#97986).
 */
import { type RunningAzurite, startAzurite } from '@sandbox-automation/functions-host/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { READER_ROLE_ID } from '../../src/index.js';
import { startTestEmulator, type TestEmulator } from '../../src/testing/startTestEmulator.js';
import {
  armClients,
  armToken,
  errorOf,
  POLL,
  rawRequest,
  roleDefinitionId,
  user,
} from './armClients.js';
import {
  accountId,
  createSystemTopic,
  SINK_GROUP,
  SYSTEM_TOPIC,
  subscribeQueue,
} from './eventSink.js';

const V = '2022-06-15';

let azurite: RunningAzurite;
let arm: TestEmulator;
let owner: ReturnType<typeof armClients>;
let sub: string;
let topicId: string;

beforeAll(async () => {
  azurite = await startAzurite();
  arm = await startTestEmulator({ storageConnections: { '*': azurite.connectionString } });
  owner = armClients(arm);
  sub = `/subscriptions/${arm.subscriptionId}`;
  topicId = (await createSystemTopic(owner, arm)).id as string;
});
afterAll(async () => {
  await arm?.close();
  await azurite?.stop();
});

const topicBody = (source: string, location = 'global') =>
  JSON.stringify({
    location,
    properties: { source, topicType: 'Microsoft.Resources.Subscriptions' },
  });

/** Polls an `Azure-AsyncOperation` URL until the operation ends. */
async function awaitOperation(url: string, token: string) {
  for (;;) {
    const poll = await rawRequest(arm, 'GET', url.slice(arm.endpoint.length), { token });
    const status = (poll.body as { status: string }).status;
    if (status !== 'InProgress') return poll.body as { status: string; error?: unknown };
  }
}

describe('system topics', () => {
  it('creates one as a long-running operation polled at operationsStatus', async () => {
    // Prepare
    const token = await armToken(owner.credential);
    await owner.resources.resourceGroups.createOrUpdate('rg-topic', { location: 'westeurope' });
    const path = `${sub}/resourceGroups/rg-topic/providers/Microsoft.EventGrid/systemTopics/group-events`;
    // Act
    const created = await rawRequest(arm, 'PUT', `${path}?api-version=${V}`, {
      token,
      body: JSON.stringify({
        location: 'global',
        properties: {
          source: `${sub}/resourceGroups/rg-topic`,
          topicType: 'Microsoft.Resources.ResourceGroups',
        },
      }),
    });
    const operation = await awaitOperation(
      created.headers['azure-asyncoperation'] as string,
      token,
    );
    const read = await rawRequest(arm, 'GET', `${path}?api-version=${V}`, { token });
    // Assess
    expect(created.status).toBe(201);
    expect((created.body as { properties: object }).properties).toMatchObject({
      provisioningState: 'Creating',
    });
    expect(created.headers['azure-asyncoperation']).toMatch(
      new RegExp(
        `^${arm.endpoint}/subscriptions/${arm.subscriptionId}/providers/Microsoft\\.EventGrid/locations/global/operationsStatus/[0-9a-f-]{36}\\?api-version=${V}$`,
      ),
    );
    expect(operation.status).toBe('Succeeded');
    expect(read.body).toEqual({
      id: path,
      name: 'group-events',
      type: 'Microsoft.EventGrid/systemTopics',
      location: 'global',
      properties: {
        source: `${sub}/resourceGroups/rg-topic`,
        topicType: 'Microsoft.Resources.ResourceGroups',
        metricResourceId: expect.stringMatching(/^[0-9a-f-]{36}$/),
        provisioningState: 'Succeeded',
      },
    });
  });

  it('lists the subscription’s system topics at /providers/Microsoft.EventGrid/systemTopics', async () => {
    // Act
    const topics = [];
    for await (const topic of owner.eventGrid.systemTopics.listBySubscription()) topics.push(topic);
    // Assess
    expect(topics.map((topic) => topic.name).sort()).toEqual(['group-events', SYSTEM_TOPIC]);
  });

  it("lists a group's system topics", async () => {
    // Act
    const topics = [];
    for await (const topic of owner.eventGrid.systemTopics.listByResourceGroup(SINK_GROUP)) {
      topics.push(topic);
    }
    // Assess
    expect(topics).toMatchObject([
      { id: topicId, topicType: 'Microsoft.Resources.Subscriptions', source: sub },
    ]);
  });

  it('fails a second system topic for the same source', async () => {
    // Act
    const attempt = owner.eventGrid.systemTopics.beginCreateOrUpdateAndWait(
      'rg-topic',
      'second-for-subscription',
      { location: 'global', topicType: 'Microsoft.Resources.Subscriptions', source: sub },
      POLL,
    );
    // Assess
    await expect(attempt).rejects.toThrow(
      `The long-running operation has failed. InvalidRequest. There is an existing tracked system topic for the given source ${sub}. Only one system topic is allowed per source.`,
    );
  });

  it("fails a subscription's system topic anywhere but in the global location", async () => {
    // Prepare
    const token = await armToken(owner.credential);
    const path = `${sub}/resourceGroups/rg-topic/providers/Microsoft.EventGrid/systemTopics/regional`;
    // Act
    const created = await rawRequest(arm, 'PUT', `${path}?api-version=${V}`, {
      token,
      body: topicBody(sub, 'westeurope'),
    });
    const operation = await awaitOperation(
      created.headers['azure-asyncoperation'] as string,
      token,
    );
    // Assess
    expect(operation).toMatchObject({
      status: 'Failed',
      error: {
        code: 'InvalidRequest',
        message: `System topic's location must match with location of the source resource ${sub}.`,
      },
    });
  });

  it('refuses a topic type whose events the emulator does not raise', async () => {
    // Act
    const error = await errorOf(
      owner.eventGrid.systemTopics.beginCreateOrUpdateAndWait(
        'rg-topic',
        'storage-events',
        {
          location: 'westeurope',
          topicType: 'Microsoft.Storage.StorageAccounts',
          source: accountId(arm),
        },
        POLL,
      ),
    );
    // Assess
    expect(error).toMatchObject({ statusCode: 400, code: 'InvalidRequest' });
    expect(error.message).toBe(
      "The ARM emulator raises events for topic types 'Microsoft.Resources.Subscriptions' and 'Microsoft.Resources.ResourceGroups' only, not 'Microsoft.Storage.StorageAccounts'.",
    );
  });

  it('gives a system-assigned identity a principal that roles can be assigned to', async () => {
    // Act
    const topic = await owner.eventGrid.systemTopics.beginCreateOrUpdateAndWait(
      'rg-topic',
      'group-events',
      {
        location: 'global',
        topicType: 'Microsoft.Resources.ResourceGroups',
        source: `${sub}/resourceGroups/rg-topic`,
        identity: { type: 'SystemAssigned' },
      },
      POLL,
    );
    const assignment = await owner.authorization.roleAssignments.create(
      accountId(arm),
      '5d6a6b3e-7d2b-4b44-9a39-7e56f3b1e0a1',
      {
        roleDefinitionId: roleDefinitionId(arm, 'c6a89b2d-59bc-44d0-9896-0f6e12d7b80a'),
        principalId: topic.identity?.principalId as string,
      },
    );
    // Assess
    expect(topic.identity).toMatchObject({
      type: 'SystemAssigned',
      principalId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      tenantId: arm.tenantId,
    });
    expect(assignment.principalType).toBe('ServicePrincipal');
  });

  it("refuses an api-version Event Grid doesn't publish, listing the ones it does", async () => {
    // Prepare
    const token = await armToken(owner.credential);
    // Act
    const answer = await rawRequest(arm, 'GET', `${topicId}?api-version=2019-06-01`, { token });
    // Assess
    expect(answer.status).toBe(400);
    expect((answer.body as { error: { code: string; message: string } }).error).toMatchObject({
      code: 'NoRegisteredProviderFound',
      message: expect.stringContaining("The supported api-versions are '2026-06-15-preview, "),
    });
  });
});

describe('event subscriptions', () => {
  it('stores a storage queue subscription with the defaults Event Grid fills in', async () => {
    // Prepare
    await subscribeQueue(owner, arm, azurite, { name: 'to-queue', queue: 'events-a' });
    const token = await armToken(owner.credential);
    // Act
    const read = await rawRequest(
      arm,
      'GET',
      `${topicId}/eventSubscriptions/to-queue?api-version=${V}`,
      {
        token,
      },
    );
    // Assess
    expect(read.body).toEqual({
      id: `${topicId}/eventSubscriptions/to-queue`,
      name: 'to-queue',
      type: 'Microsoft.EventGrid/systemTopics/eventSubscriptions',
      properties: {
        topic: topicId,
        destination: {
          endpointType: 'StorageQueue',
          properties: { resourceId: accountId(arm), queueName: 'events-a' },
        },
        filter: { subjectBeginsWith: '', subjectEndsWith: '' },
        labels: [],
        eventDeliverySchema: 'EventGridSchema',
        retryPolicy: { maxDeliveryAttempts: 30, eventTimeToLiveInMinutes: 1440 },
        provisioningState: 'Succeeded',
      },
    });
  });

  it("lists a topic's event subscriptions at {topic}/eventSubscriptions", async () => {
    // Prepare
    await subscribeQueue(owner, arm, azurite, {
      name: 'filtered',
      queue: 'events-b',
      filter: {
        includedEventTypes: ['Microsoft.Resources.ResourceWriteSuccess'],
        subjectBeginsWith: `${sub}/resourceGroups/sbx-`,
        isSubjectCaseSensitive: false,
      },
    });
    // Act
    const found = [];
    for await (const subscription of owner.eventGrid.systemTopicEventSubscriptions.listBySystemTopic(
      SINK_GROUP,
      SYSTEM_TOPIC,
    )) {
      found.push(subscription);
    }
    // Assess
    expect(found.map((subscription) => subscription.name)).toEqual(['filtered', 'to-queue']);
    expect(found[0]?.filter).toEqual({
      includedEventTypes: ['Microsoft.Resources.ResourceWriteSuccess'],
      subjectBeginsWith: `${sub}/resourceGroups/sbx-`,
      subjectEndsWith: '',
      isSubjectCaseSensitive: false,
    });
  });

  it('deletes one with 202 and both polling headers, then answers 404', async () => {
    // Prepare
    const token = await armToken(owner.credential);
    const path = `${topicId}/eventSubscriptions/filtered`;
    // Act
    const deleted = await rawRequest(arm, 'DELETE', `${path}?api-version=${V}`, { token });
    await awaitOperation(deleted.headers['azure-asyncoperation'] as string, token);
    const read = await rawRequest(arm, 'GET', `${path}?api-version=${V}`, { token });
    // Assess
    expect(deleted.status).toBe(202);
    expect(deleted.headers.location).toMatch(
      /\/providers\/Microsoft\.EventGrid\/locations\/global\/operationResults\//,
    );
    expect(deleted.headers['azure-asyncoperation']).toMatch(
      /\/locations\/global\/operationsStatus\//,
    );
    expect(read.status).toBe(404);
  });

  it.each([
    [{}, "Required property 'destination' is missing."],
    [
      {
        destination: {
          endpointType: 'WebHook',
          properties: { endpointUrl: 'https://example.test' },
        },
      },
      "The ARM emulator delivers events to storage queues only ('StorageQueue'), not to 'WebHook'.",
    ],
    [
      {
        destination: {
          endpointType: 'StorageQueue',
          properties: { resourceId: '/subscriptions/x', queueName: 'events' },
        },
      },
      "'destination.properties.resourceId' must be the id of a storage account, for example '/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.Storage/storageAccounts/{accountName}'.",
    ],
    [
      { retryPolicy: { maxDeliveryAttempts: 31 } },
      "'retryPolicy.maxDeliveryAttempts' must be an integer from 1 to 30.",
    ],
  ])('refuses %j with 400 InvalidRequest', async (properties, message) => {
    // Prepare
    const token = await armToken(owner.credential);
    const destination = {
      endpointType: 'StorageQueue',
      properties: { resourceId: accountId(arm), queueName: 'events' },
    };
    const body = 'retryPolicy' in properties ? { destination, ...properties } : properties;
    // Act
    const answer = await rawRequest(
      arm,
      'PUT',
      `${topicId}/eventSubscriptions/invalid?api-version=${V}`,
      { token, body: JSON.stringify({ properties: body }) },
    );
    // Assess
    expect(answer.status).toBe(400);
    expect(answer.body).toEqual({ error: { code: 'InvalidRequest', message } });
  });

  it('goes with its system topic', async () => {
    // Prepare
    await owner.eventGrid.systemTopicEventSubscriptions.beginCreateOrUpdateAndWait(
      'rg-topic',
      'group-events',
      'doomed',
      {
        destination: {
          endpointType: 'StorageQueue',
          resourceId: accountId(arm),
          queueName: 'events-c',
        },
      } as never,
      POLL,
    );
    // Act
    await owner.eventGrid.systemTopics.beginDeleteAndWait('rg-topic', 'group-events', POLL);
    const error = await errorOf(
      owner.eventGrid.systemTopicEventSubscriptions.get('rg-topic', 'group-events', 'doomed'),
    );
    // Assess
    expect(error.statusCode).toBe(404);
  });
});

describe('access', () => {
  it('refuses a Reader the write, naming Event Grid’s action', async () => {
    // Prepare
    const erin = user(arm, 'erin@sandbox.test');
    await owner.authorization.roleAssignments.create(sub, 'a3a3e0de-2a53-4d7f-8d8c-2f2b1b0f5a11', {
      roleDefinitionId: roleDefinitionId(arm, READER_ROLE_ID),
      principalId: erin.objectId,
    });
    const clients = armClients(arm, erin.credential);
    // Act
    const listed = [];
    for await (const topic of clients.eventGrid.systemTopics.listBySubscription())
      listed.push(topic);
    const error = await errorOf(
      clients.eventGrid.systemTopicEventSubscriptions.beginCreateOrUpdateAndWait(
        SINK_GROUP,
        SYSTEM_TOPIC,
        'sneaky',
        {
          destination: {
            endpointType: 'StorageQueue',
            resourceId: accountId(arm),
            queueName: 'events',
          },
        } as never,
        POLL,
      ),
    );
    // Assess
    expect(listed.map((topic) => topic.name)).toContain(SYSTEM_TOPIC);
    expect(error).toMatchObject({ statusCode: 403, code: 'AuthorizationFailed' });
    expect(error.message).toBe(
      `The client 'erin@sandbox.test' with object id '${erin.objectId}' does not have authorization to perform action 'Microsoft.EventGrid/systemTopics/eventSubscriptions/write' over scope '${topicId}/eventSubscriptions/sneaky' or the scope is invalid. If access was recently granted, please refresh your credentials.`,
    );
  });
});
