/**
 * `ProvisioningDeps` over the in-memory fakes, with a clock the test moves and counting ids, for
 * the fast service tests. Every fake is returned too, so a test can seed it and assert on it.
 */
import {
  type ProvisioningDeps,
  provisioningPorts,
} from '../../../services/provisioning/ProvisioningDeps.js';
import type { ProvisioningPolicy } from '../../../services/provisioning/ProvisioningPolicy.js';
import type { ProvisionMessage } from '../../../services/provisioning/ProvisionMessage.js';
import type { FailedSandboxConfig } from '../../../shared/config.js';
import { silentLogger } from '../../../shared/logging/logger.js';
import { queueNames } from '../../../shared/queues/queueNames.js';
import type { FakeClock } from '../fakes/FakeClock.js';
import { type FakePlatform, fakePlatform } from '../fakes/fakePlatform.js';
import type { InMemoryRecordStore } from '../fakes/InMemoryRecordStore.js';
import type { InMemoryResourceGroups } from '../fakes/InMemoryResourceGroups.js';
import type { InMemoryResources } from '../fakes/InMemoryResources.js';
import type { InMemoryWorkQueue } from '../fakes/InMemoryWorkQueue.js';
import { policyFactory, TEST_APP_NAME } from './fixtures.js';

export interface TestProvisioning {
  deps: ProvisioningDeps;
  platform: FakePlatform;
  records: InMemoryRecordStore;
  queue: InMemoryWorkQueue<ProvisionMessage>;
  groups: InMemoryResourceGroups;
  resources: InMemoryResources;
  clock: FakeClock;
}

export function provisioningDepsFactory(
  options: {
    policy?: Partial<ProvisioningPolicy>;
    adminPrincipals?: string[];
    failedSandbox?: Partial<FailedSandboxConfig>;
  } = {},
): TestProvisioning {
  const platform = fakePlatform({ APP_NAME: TEST_APP_NAME });
  platform.config.adminPrincipals = options.adminPrincipals ?? [
    'ops@contoso.com',
    'role:SandboxAdmin',
  ];
  platform.config.policy = { ...policyFactory(options.policy) } as typeof platform.config.policy;
  platform.config.failedSandbox = { ...platform.config.failedSandbox, ...options.failedSandbox };
  const deps = provisioningPorts(platform, silentLogger);
  return {
    deps,
    platform,
    records: platform.records,
    queue: platform.queue<ProvisionMessage>(queueNames.provisionRequests),
    groups: platform.groups,
    resources: platform.resources,
    clock: platform.clock,
  };
}
