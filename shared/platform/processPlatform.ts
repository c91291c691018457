/**
 * The composition root: the real platform over the app's settings and managed identity, built
 * once per process on first use. Every SDK-backed module is imported lazily, so loading the app
 * (a cold start) and answering a health probe never pay for them.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { EntraAuthenticator } from '../auth/EntraAuthenticator.js';
import { systemClock } from '../clock.js';
import { getConfig } from '../config.js';
import { RateLimiter } from '../http/RateLimiter.js';
import { createLogger } from '../logging/logger.js';
import { onceAsync } from '../memoizeAsync.js';
import { type QueueName, queueNames } from '../queues/queueNames.js';
import type { WorkQueue } from '../queues/WorkQueue.js';
import type { TableStore } from '../tables/TableStore.js';
import { type TableName, tableNames } from '../tables/tableNames.js';
import type { Platform } from './Platform.js';

/**
 * The process's platform.
 *
 * @example
 * const { records, groups } = await processPlatform();
 */
export const processPlatform = onceAsync(async (): Promise<Platform> => {
  const config = getConfig();
  const [
    { BlobRecordStore },
    { StorageWorkQueue },
    { ArmResourceGroups },
    { createArmClients },
    { createCredential },
    { ArmResources },
    { AzureTableStore },
    { ArmVirtualMachines },
    { HttpWebhookSender },
  ] = await Promise.all([
    import('../records/BlobRecordStore.js'),
    import('../queues/StorageWorkQueue.js'),
    import('../arm/ArmResourceGroups.js'),
    import('../arm/armClients.js'),
    import('../credentials.js'),
    import('../arm/ArmResources.js'),
    import('../tables/AzureTableStore.js'),
    import('../arm/ArmVirtualMachines.js'),
    import('../webhooks/HttpWebhookSender.js'),
  ]);
  const logger = createLogger(undefined, { component: 'platform' });
  const lroTimeoutMs = config.lroTimeoutMinutes * 60_000;
  const lro = {
    timeoutMs: lroTimeoutMs,
    ...(config.lroPollIntervalMs === undefined ? {} : { pollIntervalMs: config.lroPollIntervalMs }),
  };
  const names = Object.values(queueNames);
  const tables = Object.values(tableNames);
  const credential = await createCredential(config);
  const [records, groups, clients, tableStores, ...queues] = await Promise.all([
    BlobRecordStore.fromConfig(config),
    ArmResourceGroups.fromConfig(config, { logger, clock: systemClock }),
    createArmClients(config, credential),
    Promise.all(tables.map((name) => AzureTableStore.fromConfig(config, name))),
    ...names.map((name) => StorageWorkQueue.fromConfig<unknown>(config, name)),
  ]);
  const byName = new Map<QueueName, WorkQueue<unknown>>(names.map((n, i) => [n, queues[i]!]));
  const tableByName = new Map<TableName, TableStore>(tables.map((n, i) => [n, tableStores[i]!]));
  return {
    config,
    clock: systemClock,
    newId: randomUUID,
    // 24 random bytes, base64url, plus the character classes MySQL's password rule asks for.
    secret: () => `${randomBytes(24).toString('base64url')}aA1!`,
    records,
    queue: <T>(name: QueueName) => byName.get(name) as WorkQueue<T>,
    table: (name: TableName) => tableByName.get(name)!,
    groups,
    resources: new ArmResources(clients, { ...lro, logger }),
    authenticator: new EntraAuthenticator({
      ...config.auth,
      adminPrincipals: config.adminPrincipals,
    }),
    rateLimiter: new RateLimiter({
      burst: config.auth.rateLimitBurst,
      perMinute: config.auth.rateLimitPerMinute,
      clock: systemClock,
    }),
    vms: new ArmVirtualMachines(
      (subscriptionId) => createArmClients(config, credential, { subscriptionId }),
      {
        lroTimeoutMs: lroTimeoutMs,
        ...(config.lroPollIntervalMs === undefined
          ? {}
          : { pollIntervalMs: config.lroPollIntervalMs }),
        logger,
        clock: systemClock,
      },
    ),
    webhooks: new HttpWebhookSender({ allowPrivateNetworks: config.notify.allowPrivateNetworks }),
  };
});
