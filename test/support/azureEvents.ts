/**
 * Azure's own events for an end-to-end stack, set up as `npm start` sets them up: a test user
 * with Contributor subscribes the `azure-events` queue (in the app's storage, Azurite's
 * development account) to the subscription's Azure Resource Manager events, through ARM.
 */
import type { TestEmulator } from '@sandbox-automation/arm-emulator/testing';
import { devAccountName } from '@sandbox-automation/functions-host/testing';
import {
  type AzureEventsSubscription,
  subscribeToAzureEvents,
} from '@sandbox-automation/local-stack';
import { grantContributor, userCredential } from './armAsUser.js';

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
  const { credential, objectId, ca } = await userCredential(arm, username);
  await grantContributor(arm, objectId);
  const subscription = await subscribeToAzureEvents({
    endpoint: arm.endpoint,
    subscriptionId: arm.subscriptionId,
    credential,
    ca,
    storage: { accountName: devAccountName, connectionString },
    queueName: wanted.queueName ?? 'azure-events',
  });
  return { ...subscription, caller: username };
}
