import type { AppConfig } from '../../shared/config.js';
import { createLogger, type Logger } from '../../shared/logging/logger.js';
import { queueNames } from '../../shared/queues/queueNames.js';
import type { CleanupMessage } from './CleanupMessage.js';
import type { CleanupPorts } from './CleanupPorts.js';
import type { SandboxExpiringNotification } from './CleanupRun.js';

let shared: Promise<Omit<CleanupPorts, 'logger'>> | undefined;

/**
 * The real ports, bound to an invocation's logger: ARM through the app's managed identity, records
 * in Blob Storage, and the `cleanup-requests` and `notifications` queues. The adapters (and the
 * Azure SDKs behind them) are loaded on first use and shared by later invocations, so a cold start
 * that never reaches cleanup never pays for them.
 *
 * @example
 * const ports = await createCleanupPorts(getConfig(), createLogger(context));
 */
export async function createCleanupPorts(config: AppConfig, logger: Logger): Promise<CleanupPorts> {
  shared ??= build(config).catch((error: unknown) => {
    shared = undefined;
    throw error;
  });
  return { ...(await shared), logger };
}

async function build(config: AppConfig): Promise<Omit<CleanupPorts, 'logger'>> {
  const [{ ArmResourceGroups }, { BlobRecordStore }, { StorageWorkQueue }] = await Promise.all([
    import('../../shared/arm/ArmResourceGroups.js'),
    import('../../shared/records/BlobRecordStore.js'),
    import('../../shared/queues/StorageWorkQueue.js'),
  ]);
  const [groups, records, requests, notifications] = await Promise.all([
    ArmResourceGroups.fromConfig(config, {
      logger: createLogger(undefined, { component: 'cleanup' }),
    }),
    BlobRecordStore.fromConfig(config),
    StorageWorkQueue.fromConfig<CleanupMessage>(config, queueNames.cleanupRequests),
    StorageWorkQueue.fromConfig<SandboxExpiringNotification>(config, queueNames.notifications),
  ]);
  return { groups, records, requests, notifications, now: () => new Date() };
}
