/**
 * Planning and dispatch of one apply run over N expired groups, in process, with the real
 * adapters: the ARM emulator (ARM's default throttling) through the SDK clients, Azurite for the
 * plan, the item rows and the queue. No worker reads the queue, so only planning and dispatch are
 * timed; the queue-ahead is the run's size, so every item message goes out in the first wave. Runs in a process of its own, started with NODE_EXTRA_CA_CERTS set.
 *
 * argv: the sizes. Prints one JSON line per size: `{ "groups": …, "seconds": …, "enqueued": … }`.
 */
import { startTestEmulator } from '@sandbox-automation/arm-emulator/testing';
import { startAzurite } from '@sandbox-automation/functions-host/testing';
import type { CleanupMessage } from '../services/cleanup/CleanupMessage.js';
import type { CleanupPolicy } from '../services/cleanup/CleanupPolicy.js';
import type { CleanupPorts } from '../services/cleanup/CleanupPorts.js';
import { planCleanupRun } from '../services/cleanup/planCleanupRun.js';
import { requestCleanupRun } from '../services/cleanup/requestCleanupRun.js';
import { queueEventPublisher } from '../services/notifications/EventPublisher.js';
import type { NotificationMessage } from '../services/notifications/NotificationMessage.js';
import { ArmResourceGroups } from '../shared/arm/ArmResourceGroups.js';
import { systemClock } from '../shared/clock.js';
import { loadConfig } from '../shared/config.js';
import { silentLogger } from '../shared/logging/logger.js';
import { StorageWorkQueue } from '../shared/queues/StorageWorkQueue.js';
import { BlobRecordStore } from '../shared/records/BlobRecordStore.js';
import { AzureTableStore } from '../shared/tables/AzureTableStore.js';

const sizes = process.argv.slice(2).map(Number);
const [arm, azurite] = await Promise.all([
  startTestEmulator({
    throttling: {
      reads: { capacity: 250, refillPerSecond: 25 },
      writes: { capacity: 200, refillPerSecond: 10 },
      deletes: { capacity: 200, refillPerSecond: 10 },
    },
  }),
  startAzurite(),
]);
process.env.IDENTITY_ENDPOINT = arm.identityEndpoint;
process.env.IDENTITY_HEADER = arm.identityHeader;
// The local tenant's API registration: required settings, though planning calls no API.
const entra = await arm.control.entra();
const config = loadConfig({
  ENTRA_AUTHORITY: entra.authority,
  ENTRA_TENANT_ID: entra.tenantId,
  ENTRA_API_CLIENT_ID: entra.clientId,
  AZURE_SUBSCRIPTION_ID: arm.subscriptionId,
  ARM_ENDPOINT: arm.endpoint,
  AzureWebJobsStorage: azurite.connectionString,
});
const storage = { kind: 'connectionString' as const, connectionString: azurite.connectionString };
const policy: CleanupPolicy = {
  appName: 'sandbox-automation',
  warnHours: 24,
  orphans: 'off',
  orphanMinAgeDays: 30,
  graceDays: 7,
  protectedPatterns: [],
  maxDeletes: 1_000_000,
  maxDeleteFraction: 1,
};
const expired = new Date(Date.now() - 3_600_000).toISOString();
try {
  for (const [index, groups] of sizes.entries()) {
    await arm.control.reset();
    await arm.control.seed({
      resourceGroups: Array.from({ length: groups }, (_, i) => ({
        name: `sbx-plan-${String(i).padStart(5, '0')}`,
        location: 'westeurope',
        tags: {
          'managed-by': 'sandbox-automation',
          'sandbox-owner': `user${i % 97}@contoso.com`,
          'sandbox-expires-at': expired,
        },
      })),
    });
    const ports: CleanupPorts = {
      groups: await ArmResourceGroups.fromConfig(config),
      records: await BlobRecordStore.fromStorage(storage, `bench-plan-${index}`),
      items: await AzureTableStore.fromStorage(storage, `benchplan${index}`),
      requests: await StorageWorkQueue.fromStorage<CleanupMessage>(storage, `bench-plan-${index}`),
      events: queueEventPublisher(
        await StorageWorkQueue.fromStorage<NotificationMessage>(
          storage,
          `bench-plan-notes-${index}`,
        ),
        silentLogger,
      ),
      clock: systemClock,
      logger: silentLogger,
    };
    const { runId } = await requestCleanupRun(
      { mode: 'apply', trigger: 'http', requestedBy: 'bench', subscriptions: [arm.subscriptionId] },
      ports,
    );
    const started = performance.now();
    // Every item in the first wave, so that the whole dispatch is timed.
    const run = await planCleanupRun(runId, policy, ports, { queueAhead: groups });
    const seconds = (performance.now() - started) / 1000;
    console.log(JSON.stringify({ groups, seconds, enqueued: run.enqueued }));
  }
} finally {
  await Promise.allSettled([arm.close(), azurite.stop()]);
}
