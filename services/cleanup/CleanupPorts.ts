import type { ResourceGroups } from '../../shared/arm/ResourceGroups.js';
import type { Logger } from '../../shared/logging/logger.js';
import type { WorkQueue } from '../../shared/queues/WorkQueue.js';
import type { RecordStore } from '../../shared/records/RecordStore.js';
import type { CleanupMessage } from './CleanupMessage.js';
import type { SandboxExpiringNotification } from './CleanupRun.js';

/** Everything the cleanup services touch, passed in: real adapters in the app, fakes in tests. */
export interface CleanupPorts {
  groups: ResourceGroups;
  records: RecordStore;
  /** `cleanup-requests`: plan messages and one message per applied item. */
  requests: WorkQueue<CleanupMessage>;
  /** `notifications`: lease warnings. */
  notifications: WorkQueue<SandboxExpiringNotification>;
  now: () => Date;
  logger?: Logger;
  /** How long one delivery polls a group delete before handing over to a later one (default 8 min). */
  deleteBudgetMs?: number;
  /** Injected for tests: reads of ARM that fail transiently are retried this many times in-process. */
  readAttempts?: number;
  /** Injected for tests: the wait between in-process retries (default: a real timer). */
  delay?: (ms: number, signal?: AbortSignal) => Promise<void>;
}
