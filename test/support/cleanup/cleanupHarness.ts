/**
 * Cleanup services over the in-memory fakes, with a clock the test moves and a `drain` that plays
 * the queue workers (retrying transient failures, then "poisoning" like the host would).
 */
import type { CleanupMessage } from '../../../services/cleanup/CleanupMessage.js';
import type { CleanupPolicy } from '../../../services/cleanup/CleanupPolicy.js';
import type { CleanupPorts } from '../../../services/cleanup/CleanupPorts.js';
import type {
  CleanupItemOutcome,
  CleanupRun,
  SandboxExpiringNotification,
} from '../../../services/cleanup/CleanupRun.js';
import { cleanupRecordKeys } from '../../../services/cleanup/cleanupRecordKeys.js';
import { handleCleanupMessage } from '../../../services/cleanup/handleCleanupMessage.js';
import type { CleanupPlan } from '../../../services/cleanup/planCleanup.js';
import { recordPoisonedCleanupMessage } from '../../../services/cleanup/recordPoisonedCleanupMessage.js';
import { classifyError } from '../../../shared/errors.js';
import { InMemoryRecordStore } from '../fakes/InMemoryRecordStore.js';
import { InMemoryResourceGroups } from '../fakes/InMemoryResourceGroups.js';
import { InMemoryWorkQueue } from '../fakes/InMemoryWorkQueue.js';
import { NOW, policyFactory, SUB } from './cleanupFixtures.js';

export function cleanupHarness(options: { now?: Date; policy?: Partial<CleanupPolicy> } = {}) {
  const clock = { now: new Date(options.now ?? NOW) };
  const groups = new InMemoryResourceGroups(SUB, () => clock.now);
  const records = new InMemoryRecordStore();
  const requests = new InMemoryWorkQueue<CleanupMessage>('cleanup-requests');
  const notifications = new InMemoryWorkQueue<SandboxExpiringNotification>('notifications');
  const ports: CleanupPorts = {
    groups,
    records,
    requests,
    notifications,
    now: () => clock.now,
    readAttempts: 1,
    delay: async () => {},
  };
  const policy = policyFactory(options.policy);

  /** Delivers every queued message (and retries) until the queue is empty; returns the poisoned. */
  async function drain(maxDequeueCount = 5): Promise<CleanupMessage[]> {
    const retries: Array<{ message: CleanupMessage; count: number }> = [];
    const poisoned: CleanupMessage[] = [];
    for (;;) {
      const fresh = requests.take();
      const next = fresh ? { message: fresh, count: 1 } : retries.shift();
      if (!next) return poisoned;
      try {
        await handleCleanupMessage(next.message, policy, ports);
      } catch (error) {
        if (classifyError(error).kind === 'transient' && next.count < maxDequeueCount) {
          retries.push({ message: next.message, count: next.count + 1 });
        } else {
          poisoned.push(next.message);
          await recordPoisonedCleanupMessage(next.message, next.count, ports);
        }
      }
    }
  }

  const read = {
    run: async (runId: string) =>
      (await records.get<CleanupRun>(cleanupRecordKeys.run(runId)))?.value,
    plan: async (runId: string) =>
      (await records.get<CleanupPlan>(cleanupRecordKeys.plan(runId)))?.value,
    item: async (runId: string, name: string, subscriptionId = SUB) =>
      (await records.get<CleanupItemOutcome>(cleanupRecordKeys.item(runId, subscriptionId, name)))
        ?.value,
    summary: (runId: string) => records.getText(cleanupRecordKeys.summary(runId)),
    audit: async () => {
      const out: Array<{ event: string; group: string }> = [];
      for await (const key of records.list('audit/')) {
        const entry = await records.get<{ event: string; group: string }>(key);
        if (entry) out.push(entry.value);
      }
      return out;
    },
  };

  return { clock, groups, records, requests, notifications, ports, policy, drain, read };
}
