/**
 * A `Platform` over the in-memory fakes, for calling functions through the real adapters
 * (`httpHandler`, `queueHandler`, `timerHandler`) without Azure. Every fake is returned, so a test
 * can seed it and assert on it.
 */
import type { Authenticator } from '../../../shared/auth/EntraAuthenticator.js';
import { loadConfig } from '../../../shared/config.js';
import { RateLimiter } from '../../../shared/http/RateLimiter.js';
import type { Platform } from '../../../shared/platform/Platform.js';
import type { QueueName } from '../../../shared/queues/queueNames.js';
import type { TableName } from '../../../shared/tables/tableNames.js';
import { testAuthenticator, testAuthSettings } from '../auth/testTokens.js';
import { FakeClock } from './FakeClock.js';
import { FakeWebhookSender } from './FakeWebhookSender.js';
import { InMemoryRecordStore } from './InMemoryRecordStore.js';
import { InMemoryResourceGroups } from './InMemoryResourceGroups.js';
import { InMemoryResources } from './InMemoryResources.js';
import { InMemoryTableStore } from './InMemoryTableStore.js';
import { InMemoryVirtualMachines } from './InMemoryVirtualMachines.js';
import { InMemoryWorkQueue } from './InMemoryWorkQueue.js';

export const FAKE_SUBSCRIPTION = '00000000-0000-0000-0000-000000000001';

export interface FakePlatform extends Platform {
  clock: FakeClock;
  records: InMemoryRecordStore;
  groups: InMemoryResourceGroups;
  resources: InMemoryResources;
  vms: InMemoryVirtualMachines;
  webhooks: FakeWebhookSender;
  /** Every queue the platform handed out, by name. */
  queues: Map<QueueName, InMemoryWorkQueue<unknown>>;
  queue<T>(name: QueueName): InMemoryWorkQueue<T>;
  /** Every table the platform handed out, by name. */
  tables: Map<TableName, InMemoryTableStore>;
  table(name: TableName): InMemoryTableStore;
}

/**
 * @example
 * const platform = fakePlatform({ ADMIN_PRINCIPALS: 'ops@contoso.com' });
 * const response = await httpHandler(getSandbox, async () => platform)(request, context);
 */
export function fakePlatform(
  settings: Record<string, string> = {},
  options: { clock?: FakeClock } = {},
): FakePlatform {
  const config = loadConfig({
    AZURE_SUBSCRIPTION_ID: FAKE_SUBSCRIPTION,
    AzureWebJobsStorage: 'UseDevelopmentStorage=true',
    ...testAuthSettings,
    ...settings,
  });
  const clock = options.clock ?? new FakeClock();
  // The real authenticator over the test tenant's keys; its admin list is read when it is used,
  // so a test may change `config.adminPrincipals` after building the platform.
  const authenticator: Authenticator = {
    authenticate: async (request) =>
      (await testAuthenticator({ adminPrincipals: config.adminPrincipals })).authenticate(request),
  };
  const queues = new Map<QueueName, InMemoryWorkQueue<unknown>>();
  const tables = new Map<TableName, InMemoryTableStore>();
  let ids = 0;
  const groups = new InMemoryResourceGroups(config.subscriptionId, () => clock.now());
  return {
    config,
    clock,
    newId: () => `00000000-0000-4000-8000-${String(++ids).padStart(12, '0')}`,
    secret: () => 'test-secret',
    records: new InMemoryRecordStore(),
    groups,
    resources: new InMemoryResources(),
    authenticator,
    rateLimiter: new RateLimiter({
      burst: config.auth.rateLimitBurst,
      perMinute: config.auth.rateLimitPerMinute,
      clock,
    }),
    vms: new InMemoryVirtualMachines(config.subscriptionId, groups),
    webhooks: new FakeWebhookSender(),
    queues,
    queue<T>(name: QueueName) {
      let queue = queues.get(name);
      if (!queue) {
        queue = new InMemoryWorkQueue<unknown>(name);
        queues.set(name, queue);
      }
      return queue as InMemoryWorkQueue<T>;
    },
    tables,
    table(name: TableName) {
      let table = tables.get(name);
      if (!table) {
        table = new InMemoryTableStore(name);
        tables.set(name, table);
      }
      return table;
    },
  };
}
