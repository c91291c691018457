import type { TokenCredential } from '@azure/core-auth';
import type { TableServiceClient } from '@azure/data-tables';
import type { BlobServiceClient } from '@azure/storage-blob';
import type { QueueServiceClient } from '@azure/storage-queue';

/** Thrown when a binding's connection has neither a connection string nor a service URI. */
export class ConnectionNotFoundError extends Error {
  readonly connection: string;
  constructor(connection: string) {
    super(
      `Storage account connection string '${connection}' does not exist. Make sure that it is a defined App Setting, or set '${connection}__queueServiceUri' / '${connection}__blobServiceUri' for an identity-based connection.`,
    );
    this.name = 'ConnectionNotFoundError';
    this.connection = connection;
  }
}

type Settings = Record<string, string | undefined>;

function setting(settings: Settings, name: string): string | undefined {
  const key = Object.keys(settings).find((k) => k.toLowerCase() === name.toLowerCase());
  const value = key === undefined ? undefined : settings[key];
  return value === '' ? undefined : value;
}

/**
 * Storage clients per binding `connection`, resolved as the host does: the setting itself as a
 * connection string (`AzureWebJobsStorage` when the binding names none), or an identity-based
 * connection from `<connection>__queueServiceUri` / `__blobServiceUri` / `__serviceUri` /
 * `__accountName`, authenticated with DefaultAzureCredential (`__clientId` picks a
 * user-assigned identity).
 */
export class StorageConnections {
  readonly #settings: Settings;
  readonly #queues = new Map<string, QueueServiceClient>();
  readonly #blobs = new Map<string, BlobServiceClient>();
  readonly #tables = new Map<string, TableServiceClient>();

  constructor(settings: Settings) {
    this.#settings = settings;
  }

  static connectionName(binding: Record<string, unknown>): string {
    const name = typeof binding.connection === 'string' ? binding.connection : '';
    return name === '' ? 'AzureWebJobsStorage' : name;
  }

  async queueService(connection: string): Promise<QueueServiceClient> {
    const cached = this.#queues.get(connection);
    if (cached) return cached;
    // The SDKs load on first use: an app with only HTTP triggers never pays for them.
    const { QueueServiceClient } = await import('@azure/storage-queue');
    const client = await this.#create(
      connection,
      'queue',
      (cs) => QueueServiceClient.fromConnectionString(cs),
      (url, cred) => new QueueServiceClient(url, cred),
    );
    this.#queues.set(connection, client);
    return client;
  }

  async blobService(connection: string): Promise<BlobServiceClient> {
    const cached = this.#blobs.get(connection);
    if (cached) return cached;
    const { BlobServiceClient } = await import('@azure/storage-blob');
    const client = await this.#create(
      connection,
      'blob',
      (cs) => BlobServiceClient.fromConnectionString(cs),
      (url, cred) => new BlobServiceClient(url, cred),
    );
    this.#blobs.set(connection, client);
    return client;
  }

  async tableService(connection: string): Promise<TableServiceClient> {
    const cached = this.#tables.get(connection);
    if (cached) return cached;
    const { TableServiceClient } = await import('@azure/data-tables');
    // Azurite serves tables on a development endpoint that the SDK must be told about.
    const client = await this.#create(
      connection,
      'table',
      (cs) => TableServiceClient.fromConnectionString(cs, { allowInsecureConnection: true }),
      (url, cred) => new TableServiceClient(url, cred),
    );
    this.#tables.set(connection, client);
    return client;
  }

  /** The connection string or credential for a table client of one table. */
  async tableClient(connection: string, table: string) {
    const { TableClient } = await import('@azure/data-tables');
    const connectionString = setting(this.#settings, connection);
    if (connectionString) {
      return TableClient.fromConnectionString(connectionString, table, {
        allowInsecureConnection: true,
      });
    }
    const service = await this.tableService(connection);
    const { DefaultAzureCredential } = await import('@azure/identity');
    const clientId = setting(this.#settings, `${connection}__clientId`);
    return new TableClient(
      service.url,
      table,
      new DefaultAzureCredential(clientId ? { managedIdentityClientId: clientId } : {}),
    );
  }

  async #create<T>(
    connection: string,
    service: 'queue' | 'blob' | 'table',
    fromConnectionString: (cs: string) => T,
    fromUri: (url: string, credential: TokenCredential) => T,
  ): Promise<T> {
    const connectionString = setting(this.#settings, connection);
    if (connectionString) return fromConnectionString(connectionString);
    const account = setting(this.#settings, `${connection}__accountName`);
    const uri =
      setting(this.#settings, `${connection}__${service}ServiceUri`) ??
      setting(this.#settings, `${connection}__serviceUri`) ??
      (account ? `https://${account}.${service}.core.windows.net` : undefined);
    if (!uri) throw new ConnectionNotFoundError(connection);
    const { DefaultAzureCredential } = await import('@azure/identity');
    const clientId = setting(this.#settings, `${connection}__clientId`);
    return fromUri(
      uri,
      new DefaultAzureCredential(clientId ? { managedIdentityClientId: clientId } : {}),
    );
  }
}
