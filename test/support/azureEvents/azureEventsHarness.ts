/**
 * The `azureEvents` service over in-memory fakes of its ports: ARM's groups, the records and the
 * poison queue, on a fake clock.
 */
import type {
  AzureEventsPorts,
  PoisonedAzureEvent,
} from '../../../services/azureEvents/AzureEventsPorts.js';
import type { AzureEventsSettings } from '../../../services/azureEvents/AzureEventsSettings.js';
import { queueEventPublisher } from '../../../services/notifications/EventPublisher.js';
import type { NotificationMessage } from '../../../services/notifications/NotificationMessage.js';
import type { SandboxRecord } from '../../../services/sandbox/SandboxRecord.js';
import type { AuditEntry } from '../../../shared/audit/recordAudit.js';
import { silentLogger } from '../../../shared/logging/logger.js';
import { auditEntriesUnder } from '../auditTrail.js';
import { FakeClock } from '../fakes/FakeClock.js';
import { InMemoryRecordStore } from '../fakes/InMemoryRecordStore.js';
import { InMemoryResourceGroups } from '../fakes/InMemoryResourceGroups.js';
import { InMemoryWorkQueue } from '../fakes/InMemoryWorkQueue.js';
import { APP, appOwnClaims, SUB } from './azureEventFactory.js';
import { EventRaisingResourceGroups, type RaisedEvent } from './EventRaisingResourceGroups.js';

export interface AzureEventsHarness {
  ports: AzureEventsPorts;
  clock: FakeClock;
  /** ARM's state. */
  groups: InMemoryResourceGroups;
  /** The app's port to ARM: its writes raise events with the app's own claims. */
  app: EventRaisingResourceGroups;
  /** ARM as a person or another tool: `as(claims).createOrUpdate(…)` raises their event. */
  as(claims: Record<string, string>): EventRaisingResourceGroups;
  /** Every event ARM raised so far, in order; a test delivers them (or not). */
  raised: RaisedEvent[];
  records: InMemoryRecordStore;
  poison: InMemoryWorkQueue<PoisonedAzureEvent>;
  /** `notifications`: the events the app emitted for people. */
  notifications: InMemoryWorkQueue<NotificationMessage>;
  /** Every sandbox record, by key. */
  sandboxRecords(): Promise<Record<string, SandboxRecord>>;
  /** Every audit entry, oldest first. */
  audit(): Promise<AuditEntry[]>;
}

export const defaultSettings: AzureEventsSettings = {
  appName: 'sandbox-automation',
  self: { clientId: APP.clientId, principalId: APP.principalId },
  adoption: { enabled: false, subscriptions: [SUB], ttlHours: 24 },
  protectedPatterns: ['NetworkWatcherRG', 'MC_*'],
};

/**
 * @example
 * const h = azureEventsHarness({ adoption: { enabled: true, subscriptions: [SUB], ttlHours: 8 } });
 * await handleAzureEvent(event, h.ports);
 */
export function azureEventsHarness(
  settings: Partial<AzureEventsSettings> = {},
  start = '2026-03-01T12:00:00.000Z',
): AzureEventsHarness {
  const clock = new FakeClock(start);
  const groups = new InMemoryResourceGroups(SUB, () => clock.now());
  const records = new InMemoryRecordStore();
  const raised: RaisedEvent[] = [];
  const as = (claims: Record<string, string>) =>
    new EventRaisingResourceGroups(groups, clock, claims, (event) => raised.push(event));
  const app = as(appOwnClaims);
  const poison = new InMemoryWorkQueue<PoisonedAzureEvent>('azure-events-poison');
  const notifications = new InMemoryWorkQueue<NotificationMessage>('notifications');
  const all = async <T>(prefix: string) => {
    const found: Array<[string, T]> = [];
    for await (const key of records.list(prefix)) {
      const stored = await records.get<T>(key);
      if (stored) found.push([key, stored.value]);
    }
    return found;
  };
  return {
    ports: {
      settings: { ...defaultSettings, ...settings },
      groups: app,
      records,
      poison,
      events: queueEventPublisher(notifications, silentLogger, clock),
      clock,
      logger: silentLogger,
    },
    notifications,
    clock,
    groups,
    app,
    as,
    raised,
    records,
    poison,
    sandboxRecords: async () => Object.fromEntries(await all<SandboxRecord>('sandbox-records/')),
    audit: () => auditEntriesUnder(records, 'audit/'),
  };
}
