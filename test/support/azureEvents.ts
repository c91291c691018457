/**
 * Azure's own events for an end-to-end stack, set up as `npm start` sets them up: a test user
 * with Contributor subscribes the `azure-events` queue (in the app's storage, Azurite's
 * development account) to the subscription's Azure Resource Manager events, through ARM.
 */
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { UsernamePasswordCredential } from '@azure/identity';
import { CONTRIBUTOR_ROLE_ID } from '@sandbox-automation/arm-emulator';
import type { TestEmulator } from '@sandbox-automation/arm-emulator/testing';
import { devAccountName } from '@sandbox-automation/functions-host/testing';
import {
  type AzureEventsSubscription,
  subscribeToAzureEvents,
  trustLocalCa,
} from '@sandbox-automation/local-stack';
import { armAsOwner } from './armAsOwner.js';

export interface TestAzureEvents {
  /** Default `azure-events`, the queue the app's `azureEvents` function reads. */
  queueName?: string;
  /** The test user who sets it up; default `ops@contoso.com` (the stack's people; `npm start` uses dave@sandbox.test). */
  caller?: string;
}

/** What the stack subscribed, and who did. */
export type StackAzureEvents = AzureEventsSubscription & { caller: string };

/**
 * Gives the caller Contributor on the subscription (test emulators give users no role), then
 * subscribes the queue through ARM as that user.
 *
 * @example
 * const events = await subscribeTestStackToAzureEvents(arm, storage.connectionString, {});
 */
export async function subscribeTestStackToAzureEvents(
  arm: TestEmulator,
  connectionString: string,
  wanted: TestAzureEvents,
): Promise<StackAzureEvents> {
  const username = wanted.caller ?? 'ops@contoso.com';
  const user = arm.entra.users.find((candidate) => candidate.username === username);
  if (!user) throw new Error(`No test user '${username}'.`);
  await armAsOwner(
    arm,
    'PUT',
    `/subscriptions/${arm.subscriptionId}/providers/Microsoft.Authorization/roleAssignments/${randomUUID()}?api-version=2022-04-01`,
    {
      properties: {
        roleDefinitionId: `/subscriptions/${arm.subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${CONTRIBUTOR_ROLE_ID}`,
        principalId: user.objectId,
        principalType: 'User',
      },
    },
  );
  const ca = await readFile(arm.caCertPath);
  const credential = new UsernamePasswordCredential(
    arm.entra.tenantId,
    arm.entra.clientId,
    user.username,
    user.password,
    {
      authorityHost: arm.entra.authorityHost,
      disableInstanceDiscovery: true,
      additionalPolicies: [{ policy: trustLocalCa(ca), position: 'perCall' }],
    },
  );
  const subscription = await subscribeToAzureEvents({
    endpoint: arm.endpoint,
    subscriptionId: arm.subscriptionId,
    credential,
    ca,
    storage: { accountName: devAccountName, connectionString },
    queueName: wanted.queueName ?? 'azure-events',
  });
  return { ...subscription, caller: user.username };
}
