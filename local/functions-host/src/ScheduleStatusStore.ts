import type { ContainerClient } from '@azure/storage-blob';

/** A timer's schedule status, stored with the real host's property names. */
export interface ScheduleStatus {
  Last: string;
  Next: string;
  LastUpdated: string;
}

/** Where timer schedule status lives between runs of the host. */
export interface ScheduleStatusStore {
  get(functionName: string): Promise<ScheduleStatus | undefined>;
  set(functionName: string, status: ScheduleStatus): Promise<void>;
}

/** The blob the real host keeps a timer's status in, inside `azure-webjobs-hosts`. */
export function scheduleStatusBlobName(hostId: string, functionName: string): string {
  return `timers/${hostId}/Host.Functions.${functionName}/status`;
}

/** Schedule status in Blob Storage, laid out as the real host lays it out. */
export class BlobScheduleStatusStore implements ScheduleStatusStore {
  static readonly containerName = 'azure-webjobs-hosts';
  readonly #container: ContainerClient;
  readonly #hostId: string;
  #created = false;

  constructor(container: ContainerClient, hostId: string) {
    this.#container = container;
    this.#hostId = hostId;
  }

  async get(functionName: string): Promise<ScheduleStatus | undefined> {
    const blob = this.#container.getBlockBlobClient(
      scheduleStatusBlobName(this.#hostId, functionName),
    );
    try {
      return JSON.parse((await blob.downloadToBuffer()).toString('utf8')) as ScheduleStatus;
    } catch (error) {
      const status = (error as { statusCode?: number }).statusCode;
      if (status === 404) return undefined;
      throw error;
    }
  }

  async set(functionName: string, status: ScheduleStatus): Promise<void> {
    if (!this.#created) {
      await this.#container.createIfNotExists();
      this.#created = true;
    }
    const body = Buffer.from(JSON.stringify(status));
    await this.#container
      .getBlockBlobClient(scheduleStatusBlobName(this.#hostId, functionName))
      .uploadData(body, { blobHTTPHeaders: { blobContentType: 'application/json' } });
  }
}

/** Schedule status in memory, for tests and for `useMonitor: false`. */
export class InMemoryScheduleStatusStore implements ScheduleStatusStore {
  readonly statuses = new Map<string, ScheduleStatus>();

  async get(functionName: string): Promise<ScheduleStatus | undefined> {
    return this.statuses.get(functionName);
  }

  async set(functionName: string, status: ScheduleStatus): Promise<void> {
    this.statuses.set(functionName, status);
  }
}
