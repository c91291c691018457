/**
 * ARM as one of the test tenant's people, through the real SDK clients: the user signs in to the
 * local Entra ID (password grant) and holds Contributor on the subscription, as `npm start` gives
 * ordinary users. For writes "from the portal or `az`", behind the app's back.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { ResourceManagementClient } from '@azure/arm-resources';
import { UsernamePasswordCredential } from '@azure/identity';
import { CONTRIBUTOR_ROLE_ID } from '@sandbox-automation/arm-emulator';
import type { TestEmulator } from '@sandbox-automation/arm-emulator/testing';
import { trustLocalCa } from '@sandbox-automation/local-stack';
import { armAsOwner } from './armAsOwner.js';

/** A test user's sign-in, for the SDK. */
export async function userCredential(
  arm: TestEmulator,
  username: string,
): Promise<{ credential: UsernamePasswordCredential; objectId: string; ca: Buffer }> {
  const user = arm.entra.users.find((candidate) => candidate.username === username);
  if (!user) throw new Error(`No test user '${username}'.`);
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
  return { credential, objectId: user.objectId, ca };
}

/**
 * Makes the user Contributor on the subscription (once: the assignment's name derives from the
 * user, so a second call rewrites the same one).
 */
export async function grantContributor(arm: TestEmulator, objectId: string): Promise<void> {
  const hex = createHash('sha256').update(`contributor\n${objectId}`).digest('hex');
  const name = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
  await armAsOwner(
    arm,
    'PUT',
    `/subscriptions/${arm.subscriptionId}/providers/Microsoft.Authorization/roleAssignments/${name}?api-version=2022-04-01`,
    {
      properties: {
        roleDefinitionId: `/subscriptions/${arm.subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${CONTRIBUTOR_ROLE_ID}`,
        principalId: objectId,
        principalType: 'User',
      },
    },
  );
}

/**
 * `@azure/arm-resources` signed in as a test user with Contributor.
 *
 * @example
 * const { client } = await armAsUser(stack.arm, 'ana@contoso.com');
 * await client.resourceGroups.createOrUpdate('rg-ana', { location: 'westeurope' });
 */
export async function armAsUser(
  arm: TestEmulator,
  username: string,
): Promise<{ client: ResourceManagementClient; objectId: string }> {
  const { credential, objectId } = await userCredential(arm, username);
  await grantContributor(arm, objectId);
  const client = new ResourceManagementClient(credential, arm.subscriptionId, {
    endpoint: arm.endpoint,
    $host: arm.endpoint,
    credentialScopes: ['https://management.azure.com/.default'],
    retryOptions: { maxRetries: 3, retryDelayInMs: 100 },
  });
  return { client, objectId };
}
