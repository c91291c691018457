/**
 * The seed's style of cleanup, as a baseline: the SDK's `beginDeleteAndWait` on each group, one
 * after another. Runs in a process of its own, so that Node trusts the emulator's CA
 * (NODE_EXTRA_CA_CERTS is read at start) and the managed identity comes from IDENTITY_ENDPOINT.
 *
 * argv: endpoint, subscription, then the group names. Prints `{ "seconds": … }`.
 */
import { ResourceManagementClient } from '@azure/arm-resources';
import { DefaultAzureCredential } from '@azure/identity';

const [endpoint, subscriptionId, ...names] = process.argv.slice(2);
if (!endpoint || !subscriptionId) throw new Error('usage: endpoint subscription name…');
const client = new ResourceManagementClient(new DefaultAzureCredential(), subscriptionId, {
  endpoint,
  credentialScopes: [`${endpoint}/.default`],
});
const started = performance.now();
for (const name of names) await client.resourceGroups.beginDeleteAndWait(name);
console.log(JSON.stringify({ seconds: (performance.now() - started) / 1000 }));
