import type { BlobLeaseClient, ContainerClient } from '@azure/storage-blob';
import type { HostLogger } from './HostLogger.js';

/** The blob the real host leases to be the primary host: `azure-webjobs-hosts/locks/<id>/host`. */
export function hostLockBlobName(hostId: string): string {
  return `locks/${hostId}/host`;
}

/**
 * The primary host lock, as the real host holds it: a 15 s lease on its lock blob, renewed
 * while the host runs and released when it stops. Logs `Host lock lease acquired by instance ID
 * '…'.` once it holds the lease; while another instance holds it, it tries again.
 */
export class PrimaryHostLock {
  readonly #container: ContainerClient;
  readonly #hostId: string;
  readonly #instanceId: string;
  readonly #logger: HostLogger;
  #lease?: BlobLeaseClient;
  #timer?: NodeJS.Timeout;
  #stopped = false;

  constructor(container: ContainerClient, hostId: string, instanceId: string, logger: HostLogger) {
    this.#container = container;
    this.#hostId = hostId;
    this.#instanceId = instanceId;
    this.#logger = logger;
  }

  start(): void {
    void this.#tick();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    await this.#lease?.releaseLease().catch(() => undefined);
  }

  async #tick(): Promise<void> {
    try {
      if (this.#lease) {
        await this.#lease.renewLease();
      } else {
        await this.#container.createIfNotExists();
        const blob = this.#container.getBlockBlobClient(hostLockBlobName(this.#hostId));
        if (!(await blob.exists())) await blob.upload('', 0).catch(() => undefined);
        const lease = blob.getBlobLeaseClient(leaseIdFor(this.#instanceId));
        await lease.acquireLease(15);
        this.#lease = lease;
        this.#logger.info(
          'Host.General',
          `Host lock lease acquired by instance ID '${this.#instanceId}'.`,
        );
      }
    } catch (error) {
      if (this.#lease) {
        this.#lease = undefined;
        this.#logger.info(
          'Host.General',
          `Failed to renew host lock lease: ${(error as Error).message}`,
        );
      }
    }
    if (this.#stopped) return;
    this.#timer = setTimeout(() => void this.#tick(), 5_000);
    this.#timer.unref();
  }
}

/** A lease id (a GUID) derived from the instance id, so that a restart can take its own lease back. */
function leaseIdFor(instanceId: string): string {
  const hex = instanceId.toLowerCase().padStart(32, '0').slice(-32);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
