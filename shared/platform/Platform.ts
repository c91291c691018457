import type { ResourceGroups } from '../arm/ResourceGroups.js';
import type { Resources } from '../arm/Resources.js';
import type { VirtualMachines } from '../arm/VirtualMachines.js';
import type { Authenticator } from '../auth/EntraAuthenticator.js';
import type { Clock } from '../clock.js';
import type { AppConfig } from '../config.js';
import type { RateLimiter } from '../http/RateLimiter.js';
import type { QueueName } from '../queues/queueNames.js';
import type { WorkQueue } from '../queues/WorkQueue.js';
import type { RecordStore } from '../records/RecordStore.js';
import type { TableStore } from '../tables/TableStore.js';
import type { TableName } from '../tables/tableNames.js';
import type { WebhookSender } from '../webhooks/WebhookSender.js';

/**
 * Everything the app's features touch, in one place: the parsed settings, time, ids, and the
 * ports over storage and ARM. The functions get it from `processPlatform` (the real clients,
 * built once per process); tests hand the same adapters a platform of in-memory fakes.
 */
export interface Platform {
  config: AppConfig;
  clock: Clock;
  /** A new unique id (a UUID). */
  newId(): string;
  /** A fresh random secret, for a resource that cannot be created without one. Never stored. */
  secret(): string;
  records: RecordStore;
  /** The queue named `name`, for sending. */
  queue<T>(name: QueueName): WorkQueue<T>;
  /** The table named `name`. */
  table(name: TableName): TableStore;
  groups: ResourceGroups;
  resources: Resources;
  /** Proves who calls the API (bearer tokens; App Service Authentication where it is on). */
  authenticator: Authenticator;
  /** Paces each caller's writes. */
  rateLimiter: RateLimiter;
  vms: VirtualMachines;
  /** Sends webhooks, with the SSRF guard `NOTIFY_ALLOW_PRIVATE_NETWORKS` sets. */
  webhooks: WebhookSender;
}

/** How an adapter gets the platform; the real one builds it once, tests return fakes. */
export type PlatformProvider = () => Promise<Platform>;
