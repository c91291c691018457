/**
 * `ProvisioningDeps` over the in-memory fakes, with a fixed clock and counting ids, for the fast
 * service tests. Every fake is returned too, so a test can seed it and assert on it.
 */
import { blueprints } from '../../../services/provisioning/blueprints/index.js';
import type { ProvisioningDeps } from '../../../services/provisioning/ProvisioningDeps.js';
import type { ProvisioningPolicy } from '../../../services/provisioning/ProvisioningPolicy.js';
import type { ProvisionMessage } from '../../../services/provisioning/ProvisionMessage.js';
import { silentLogger } from '../../../shared/logging/logger.js';
import { InMemoryRecordStore } from '../fakes/InMemoryRecordStore.js';
import { InMemoryResourceGroups } from '../fakes/InMemoryResourceGroups.js';
import { InMemoryWorkQueue } from '../fakes/InMemoryWorkQueue.js';
import { policyFactory, TEST_APP_NAME, TEST_SUBSCRIPTION } from './fixtures.js';
import { InMemorySandboxResources } from './InMemorySandboxResources.js';

export interface TestProvisioning {
  deps: ProvisioningDeps;
  records: InMemoryRecordStore;
  queue: InMemoryWorkQueue<ProvisionMessage>;
  groups: InMemoryResourceGroups;
  resources: InMemorySandboxResources;
  clock: { now: Date };
}

export function provisioningDepsFactory(
  options: { policy?: Partial<ProvisioningPolicy>; adminPrincipals?: string[] } = {},
): TestProvisioning {
  const clock = { now: new Date('2026-03-01T12:00:00.000Z') };
  const records = new InMemoryRecordStore();
  const queue = new InMemoryWorkQueue<ProvisionMessage>('provision-requests');
  const groups = new InMemoryResourceGroups(TEST_SUBSCRIPTION, () => clock.now);
  const resources = new InMemorySandboxResources();
  let ids = 0;
  const deps: ProvisioningDeps = {
    settings: {
      subscriptionId: TEST_SUBSCRIPTION,
      appName: TEST_APP_NAME,
      adminPrincipals: options.adminPrincipals ?? ['ops@contoso.com', 'role:SandboxAdmin'],
      policy: policyFactory(options.policy),
    },
    records,
    queue,
    groups,
    resources,
    blueprints,
    logger: silentLogger,
    now: () => clock.now,
    newId: () => `00000000-0000-4000-8000-${String(++ids).padStart(12, '0')}`,
    secret: () => 'test-secret',
    delay: async () => {},
  };
  return { deps, records, queue, groups, resources, clock };
}
