import { afterEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_QUEUE_AHEAD } from '../../../services/cleanup/dispatchCleanupPlan.js';
import {
  getConfig,
  loadConfig,
  resetConfigForTests,
  tableServiceUriOf,
} from '../../../shared/config.js';
import { ConfigError } from '../../../shared/errors.js';

const entra = {
  ENTRA_TENANT_ID: '11111111-2222-4333-8444-555555555555',
  ENTRA_API_CLIENT_ID: '66666666-7777-4888-8999-000000000000',
};
const minimal = {
  AZURE_SUBSCRIPTION_ID: 'sub-1',
  AzureWebJobsStorage: 'UseDevelopmentStorage=true',
  ...entra,
};

function errorOf(env: Record<string, string | undefined>): ConfigError {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('fills in every default from the minimal settings', () => {
    // Act
    const config = loadConfig(minimal);

    // Assess
    expect(config).toEqual({
      subscriptionId: 'sub-1',
      armEndpoint: 'https://management.azure.com',
      appName: 'sandbox-automation',
      recordsContainer: 'sandbox-records',
      lroTimeoutMinutes: 60,
      adminPrincipals: [],
      auth: {
        authority: 'https://login.microsoftonline.com/11111111-2222-4333-8444-555555555555',
        tenantId: '11111111-2222-4333-8444-555555555555',
        clientId: '66666666-7777-4888-8999-000000000000',
        audience: 'api://66666666-7777-4888-8999-000000000000',
        appServiceAuth: false,
        rateLimitBurst: 30,
        rateLimitPerMinute: 60,
      },
      web: {
        clientId: '66666666-7777-4888-8999-000000000000',
        scope: 'api://66666666-7777-4888-8999-000000000000/access_as_user',
        portalUrl: 'https://portal.azure.com',
      },
      storage: { kind: 'connectionString', connectionString: 'UseDevelopmentStorage=true' },
      policy: {
        allowedLocations: expect.arrayContaining(['eastus', 'westeurope', 'swedencentral']),
        allowedVmSizes: [
          'Standard_B1s',
          'Standard_B1ms',
          'Standard_B2s',
          'Standard_B2ms',
          'Standard_D2s_v5',
        ],
        allowedVmImages: [
          'Canonical:0001-com-ubuntu-server-jammy:22_04-lts-gen2:latest',
          'Canonical:ubuntu-24_04-lts:server:latest',
          'Debian:debian-12:12-gen2:latest',
        ],
        defaultTtlHours: 24,
        maxTtlHours: 168,
        maxSandboxesPerOwner: 5,
      },
      failedSandbox: { policy: 'keep', keepHours: 24 },
      cleanup: {
        schedule: '0 0 * * * *',
        subscriptions: ['sub-1'],
        mode: 'dry-run',
        warnHours: 24,
        orphans: 'off',
        orphanMinAgeDays: 30,
        graceDays: 7,
        protectedPatterns: [
          'NetworkWatcherRG',
          'cloud-shell-storage-*',
          'DefaultResourceGroup-*',
          'MC_*',
          'AzureBackupRG*',
          'databricks-rg-*',
        ],
        maxDeletes: 25,
        maxDeleteFraction: 0.5,
        queueAhead: DEFAULT_QUEUE_AHEAD,
      },
      azureEvents: {
        adoption: { enabled: false, subscriptions: ['sub-1'], ttlHours: 24 },
      },
      power: { schedule: '0 */15 * * * *', subscriptions: ['sub-1'], blueprintDefaults: {} },
      notify: { webhooks: [], allowPrivateNetworks: false, maxAttempts: 8, retryBaseSeconds: 10 },
    });
    expect(config.policy.allowedLocations).toHaveLength(12);
  });

  it('reads every setting it is given', () => {
    // Prepare
    const env = {
      ...minimal,
      ARM_ENDPOINT: 'https://127.0.0.1:8443/',
      AZURE_CLIENT_ID: 'client-1',
      APP_NAME: 'sbx',
      RECORDS_CONTAINER: 'records-2',
      LRO_POLL_INTERVAL_MS: '250',
      LRO_TIMEOUT_MINUTES: '5',
      ADMIN_PRINCIPALS: ' alice@example.com , 1111 ,',
      ALLOWED_LOCATIONS: 'EastUS,westeurope',
      ALLOWED_VM_SIZES: 'Standard_B1s',
      ALLOWED_VM_IMAGES: 'Canonical:ubuntu-24_04-lts:server:latest',
      DEFAULT_TTL_HOURS: '2',
      MAX_TTL_HOURS: '4',
      MAX_SANDBOXES_PER_OWNER: '1',
      FAILED_SANDBOX_POLICY: 'delete',
      FAILED_SANDBOX_KEEP_HOURS: '2',
      CLEANUP_SCHEDULE: '*/30 * * * * *',
      CLEANUP_SUBSCRIPTIONS: 'sub-1,sub-2',
      CLEANUP_MODE: 'apply',
      CLEANUP_WARN_HOURS: '0',
      CLEANUP_ORPHANS: 'mark',
      CLEANUP_ORPHAN_MIN_AGE_DAYS: '10',
      CLEANUP_GRACE_DAYS: '0',
      CLEANUP_PROTECTED_PATTERNS: 'keep-*',
      CLEANUP_MAX_DELETES: '0',
      CLEANUP_MAX_DELETE_FRACTION: '1',
      CLEANUP_QUEUE_AHEAD: '40',
    };

    // Act
    const config = loadConfig(env);

    // Assess
    expect(config).toMatchObject({
      armEndpoint: 'https://127.0.0.1:8443',
      clientId: 'client-1',
      appName: 'sbx',
      recordsContainer: 'records-2',
      lroPollIntervalMs: 250,
      lroTimeoutMinutes: 5,
      adminPrincipals: ['alice@example.com', '1111'],
      policy: {
        allowedLocations: ['eastus', 'westeurope'],
        allowedVmSizes: ['Standard_B1s'],
        allowedVmImages: ['Canonical:ubuntu-24_04-lts:server:latest'],
        defaultTtlHours: 2,
        maxTtlHours: 4,
        maxSandboxesPerOwner: 1,
      },
      failedSandbox: { policy: 'delete', keepHours: 2 },
      cleanup: {
        schedule: '*/30 * * * * *',
        subscriptions: ['sub-1', 'sub-2'],
        mode: 'apply',
        warnHours: 0,
        orphans: 'mark',
        orphanMinAgeDays: 10,
        graceDays: 0,
        protectedPatterns: ['keep-*'],
        maxDeletes: 0,
        maxDeleteFraction: 1,
        queueAhead: 40,
      },
    });
  });

  it('reads the page’s sign-in settings', () => {
    // Act
    const config = loadConfig({
      ...minimal,
      ENTRA_API_AUDIENCE: 'api://sandboxes.contoso.com',
      WEB_CLIENT_ID: 'AAAAAAAA-BBBB-4CCC-8DDD-EEEEEEEEEEEE',
      AZURE_PORTAL_URL: 'https://portal.azure.us/',
    });

    // Assess
    expect(config.web).toEqual({
      clientId: 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee',
      scope: 'api://sandboxes.contoso.com/access_as_user',
      portalUrl: 'https://portal.azure.us',
    });
  });

  it('treats empty settings as unset', () => {
    // Act
    const config = loadConfig({
      ...minimal,
      APP_NAME: '',
      LRO_TIMEOUT_MINUTES: '  ',
      AZURE_CLIENT_ID: '',
    });

    // Assess
    expect(config.appName).toBe('sandbox-automation');
    expect(config.lroTimeoutMinutes).toBe(60);
    expect(config).not.toHaveProperty('clientId');
  });

  describe.each([
    {
      description: 'identity-based storage from service URIs',
      env: {
        AzureWebJobsStorage__blobServiceUri: 'https://acct.blob.core.windows.net/',
        AzureWebJobsStorage__queueServiceUri: 'https://acct.queue.core.windows.net',
      },
      storage: {
        kind: 'identity',
        blobServiceUri: 'https://acct.blob.core.windows.net',
        queueServiceUri: 'https://acct.queue.core.windows.net',
      },
    },
    {
      description: 'identity-based storage from the account name',
      env: { AzureWebJobsStorage__accountName: 'acct' },
      storage: {
        kind: 'identity',
        blobServiceUri: 'https://acct.blob.core.windows.net',
        queueServiceUri: 'https://acct.queue.core.windows.net',
      },
    },
    {
      description: 'identity-based storage with a Table endpoint of its own',
      env: {
        AzureWebJobsStorage__blobServiceUri: 'https://files.contoso.com',
        AzureWebJobsStorage__queueServiceUri: 'https://queues.contoso.com',
        AzureWebJobsStorage__tableServiceUri: 'https://tables.contoso.com/',
      },
      storage: {
        kind: 'identity',
        blobServiceUri: 'https://files.contoso.com',
        queueServiceUri: 'https://queues.contoso.com',
        tableServiceUri: 'https://tables.contoso.com',
      },
    },
  ])('$description', ({ env, storage }) => {
    it('is accepted', () => {
      // Act
      const config = loadConfig({ AZURE_SUBSCRIPTION_ID: 'sub-1', ...entra, ...env });

      // Assess
      expect(config.storage).toEqual(storage);
    });
  });

  it.each([
    {
      description: 'a tenant that is not a GUID',
      env: { ...minimal, ENTRA_TENANT_ID: 'contoso.onmicrosoft.com' },
      message: 'Invalid app settings: ENTRA_TENANT_ID must be a tenant id (a GUID)',
    },
    {
      description: 'an http authority',
      env: { ...minimal, ENTRA_AUTHORITY: 'http://login.test/tenant' },
      message: 'Invalid app settings: ENTRA_AUTHORITY must be an https URL',
    },
    {
      description: 'no settings at all',
      env: {},
      message:
        'Invalid app settings: AZURE_SUBSCRIPTION_ID is required; ENTRA_TENANT_ID is required; ENTRA_API_CLIENT_ID is required; AzureWebJobsStorage is required (a connection string), or set AzureWebJobsStorage__blobServiceUri and AzureWebJobsStorage__queueServiceUri (or AzureWebJobsStorage__accountName) for identity-based access',
    },
    {
      description: 'no room for any cleanup item on the queue',
      env: { ...minimal, CLEANUP_QUEUE_AHEAD: '0' },
      message: 'Invalid app settings: CLEANUP_QUEUE_AHEAD must be a whole number ≥ 1',
    },
    {
      description: 'a missing subscription',
      env: { AzureWebJobsStorage: 'UseDevelopmentStorage=true', ...entra },
      message: 'Invalid app settings: AZURE_SUBSCRIPTION_ID is required',
    },
    {
      description: 'an http ARM endpoint',
      env: { ...minimal, ARM_ENDPOINT: 'http://localhost:8080' },
      message:
        'Invalid app settings: ARM_ENDPOINT must be an https URL (the SDK never sends a token over http)',
    },
    {
      description: 'a word where a number belongs',
      env: { ...minimal, LRO_TIMEOUT_MINUTES: 'soon' },
      message: 'Invalid app settings: LRO_TIMEOUT_MINUTES must be a whole number ≥ 1',
    },
    {
      description: 'zero where at least one is needed',
      env: { ...minimal, MAX_SANDBOXES_PER_OWNER: '0' },
      message: 'Invalid app settings: MAX_SANDBOXES_PER_OWNER must be a whole number ≥ 1',
    },
    {
      description: 'an unknown failed-sandbox policy',
      env: { ...minimal, FAILED_SANDBOX_POLICY: 'quarantine' },
      message: 'Invalid app settings: FAILED_SANDBOX_POLICY must be one of keep, delete',
    },
    {
      description: 'no time at all to inspect a failed sandbox',
      env: { ...minimal, FAILED_SANDBOX_KEEP_HOURS: '0' },
      message: 'Invalid app settings: FAILED_SANDBOX_KEEP_HOURS must be a whole number ≥ 1',
    },
    {
      description: 'an unknown cleanup mode',
      env: { ...minimal, CLEANUP_MODE: 'yolo' },
      message: 'Invalid app settings: CLEANUP_MODE must be one of dry-run, apply',
    },
    {
      description: 'a five-field cron expression',
      env: { ...minimal, CLEANUP_SCHEDULE: '0 * * * *' },
      message:
        'Invalid app settings: CLEANUP_SCHEDULE must be a six-field NCRONTAB expression, for example "0 0 * * * *"',
    },
    {
      description: 'a fraction above one',
      env: { ...minimal, CLEANUP_MAX_DELETE_FRACTION: '1.5' },
      message:
        'Invalid app settings: CLEANUP_MAX_DELETE_FRACTION must be a number greater than 0 and at most 1',
    },
    {
      description: 'a zero fraction',
      env: { ...minimal, CLEANUP_MAX_DELETE_FRACTION: '0' },
      message:
        'Invalid app settings: CLEANUP_MAX_DELETE_FRACTION must be a number greater than 0 and at most 1',
    },
    {
      description: 'an image that is not a URN',
      env: { ...minimal, ALLOWED_VM_IMAGES: 'ubuntu' },
      message:
        'Invalid app settings: ALLOWED_VM_IMAGES must list URNs as publisher:offer:sku:version',
    },
    {
      description: 'a default TTL above the maximum',
      env: { ...minimal, DEFAULT_TTL_HOURS: '200' },
      message: 'Invalid app settings: DEFAULT_TTL_HOURS must not exceed MAX_TTL_HOURS',
    },
    {
      description: 'a container name with capitals',
      env: { ...minimal, RECORDS_CONTAINER: 'Records' },
      message:
        'Invalid app settings: RECORDS_CONTAINER must be a valid blob container name (3-63 lower-case letters, digits and single hyphens)',
    },
    {
      description: 'both ways to reach storage',
      env: { ...minimal, AzureWebJobsStorage__accountName: 'acct' },
      message:
        'Invalid app settings: AzureWebJobsStorage must not be set together with AzureWebJobsStorage__blobServiceUri/__queueServiceUri/__accountName: configure exactly one way to reach storage',
    },
    {
      description: 'a blob URI without a queue URI',
      env: {
        AZURE_SUBSCRIPTION_ID: 'sub-1',
        AzureWebJobsStorage__blobServiceUri: 'https://a.blob.core.windows.net',
        ...entra,
      },
      message:
        'Invalid app settings: AzureWebJobsStorage__queueServiceUri is required with AzureWebJobsStorage__blobServiceUri',
    },
    {
      description: 'a custom blob endpoint without a Table endpoint',
      env: {
        ...entra,
        AZURE_SUBSCRIPTION_ID: 'sub-1',
        AzureWebJobsStorage__blobServiceUri: 'https://files.contoso.com',
        AzureWebJobsStorage__queueServiceUri: 'https://queues.contoso.com',
        ...entra,
      },
      message:
        'Invalid app settings: AzureWebJobsStorage__tableServiceUri is required when AzureWebJobsStorage__blobServiceUri is not a standard https://{account}.blob.{suffix} endpoint',
    },
    {
      description: 'several problems at once',
      env: { ...minimal, LRO_TIMEOUT_MINUTES: '-1', CLEANUP_ORPHANS: 'delete' },
      message:
        'Invalid app settings: LRO_TIMEOUT_MINUTES must be a whole number ≥ 1; CLEANUP_ORPHANS must be one of off, mark',
    },
  ])('rejects $description, naming the setting', ({ env, message }) => {
    // Act
    const error = errorOf(env);

    // Assess
    expect(error.message).toBe(message);
    expect(error.kind).toBe('permanent');
  });

  it('never echoes a setting value, which may be a secret', () => {
    // Prepare
    const secret = 'DefaultEndpointsProtocol=https;AccountName=a;AccountKey=c2VjcmV0;';

    // Act
    const error = errorOf({
      AzureWebJobsStorage: secret,
      AzureWebJobsStorage__accountName: 'acct',
      ...entra,
    });

    // Assess
    expect(error.message).not.toContain('c2VjcmV0');
    expect(error.issues.map((i) => i.setting)).toEqual([
      'AZURE_SUBSCRIPTION_ID',
      'AzureWebJobsStorage',
    ]);
  });
});

describe('getConfig', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
    resetConfigForTests();
  });

  it('parses process.env once and keeps the result', () => {
    // Prepare
    resetConfigForTests();
    vi.stubEnv('AZURE_SUBSCRIPTION_ID', 'sub-env');
    vi.stubEnv('AzureWebJobsStorage', 'UseDevelopmentStorage=true');
    for (const [name, value] of Object.entries(entra)) vi.stubEnv(name, value);

    // Act
    const first = getConfig();
    vi.stubEnv('AZURE_SUBSCRIPTION_ID', 'sub-changed');
    const second = getConfig();

    // Assess
    expect(first.subscriptionId).toBe('sub-env');
    expect(second).toBe(first);
  });
});

describe('tableServiceUriOf', () => {
  it.each([
    {
      description: 'the blob endpoint’s sibling',
      blob: 'https://acct.blob.core.windows.net',
      table: 'https://acct.table.core.windows.net',
    },
    {
      description: 'the sibling in a sovereign cloud',
      blob: 'https://acct.blob.core.chinacloudapi.cn',
      table: 'https://acct.table.core.chinacloudapi.cn',
    },
    {
      description: 'nothing for a custom domain',
      blob: 'https://files.contoso.com',
      table: undefined,
    },
  ])('derives $description', ({ blob, table }) => {
    // Act
    const derived = tableServiceUriOf({
      kind: 'identity',
      blobServiceUri: blob,
      queueServiceUri: 'https://q',
    });

    // Assess
    expect(derived).toBe(table);
  });
});

describe('loadConfig: Azure events', () => {
  it("reads adoption and the app's object id", () => {
    // Act
    const config = loadConfig({
      ...minimal,
      CLEANUP_SUBSCRIPTIONS: 'sub-1,sub-2',
      ADOPTION: 'on',
      ADOPTION_SUBSCRIPTIONS: 'sub-2',
      ADOPTION_TTL_HOURS: '8',
      APP_PRINCIPAL_ID: 'B0B0B0B0-0000-4000-8000-00000000B0B0',
    });

    // Assess
    expect(config.azureEvents).toEqual({
      appPrincipalId: 'b0b0b0b0-0000-4000-8000-00000000b0b0',
      adoption: { enabled: true, subscriptions: ['sub-2'], ttlHours: 8 },
    });
  });

  it('gives an adopted group the default lease unless told otherwise', () => {
    // Act & Assess
    expect(loadConfig({ ...minimal, DEFAULT_TTL_HOURS: '12' }).azureEvents.adoption.ttlHours).toBe(
      12,
    );
  });

  it.each([
    {
      description: 'adoption neither on nor off',
      env: { ...minimal, ADOPTION: 'yes' },
      message: 'Invalid app settings: ADOPTION must be one of off, on',
    },
    {
      description: 'adoption in a subscription cleanup does not cover',
      env: { ...minimal, ADOPTION_SUBSCRIPTIONS: 'sub-1,sub-9' },
      message:
        'Invalid app settings: ADOPTION_SUBSCRIPTIONS must be among the subscriptions cleanup covers (CLEANUP_SUBSCRIPTIONS), or adopted groups would never be cleaned up: sub-9',
    },
    {
      description: "an adopted group's lease above the maximum",
      env: { ...minimal, ADOPTION_TTL_HOURS: '500' },
      message: 'Invalid app settings: ADOPTION_TTL_HOURS must not exceed MAX_TTL_HOURS',
    },
    {
      description: 'no lease at all',
      env: { ...minimal, ADOPTION_TTL_HOURS: '0' },
      message: 'Invalid app settings: ADOPTION_TTL_HOURS must be a whole number ≥ 1',
    },
    {
      description: "an app's object id that is no GUID",
      env: { ...minimal, APP_PRINCIPAL_ID: 'my-app' },
      message:
        "Invalid app settings: APP_PRINCIPAL_ID must be the object id of the app's identity (a GUID)",
    },
  ])('rejects $description, naming the setting', ({ env, message }) => {
    // Act & Assess
    expect(() => loadConfig(env)).toThrow(message);
  });
});

describe('loadConfig: power schedules and notifications', () => {
  const secret = `whsec_${Buffer.from('a local signing secret').toString('base64')}`;

  it('reads a default schedule for each blueprint from its own setting', () => {
    // Act
    const config = loadConfig({
      ...minimal,
      POWER_SCHEDULE_DEFAULT_VM: 'off=(M-F,19);on=(M-F,7);tz=Europe/Berlin',
      POWER_SCHEDULE_DEFAULT_MY_BLUEPRINT: 'off',
    });

    // Assess
    expect(config.power.blueprintDefaults).toEqual({
      vm: 'off=(M-F,19);on=(M-F,7);tz=Europe/Berlin',
      'my-blueprint': 'off',
    });
  });

  it('names a blueprint default that is not a schedule, with the reason', () => {
    // Act
    const attempt = () => loadConfig({ ...minimal, POWER_SCHEDULE_DEFAULT_VM: 'off=(M-F,25)' });

    // Assess
    expect(attempt).toThrow(
      'Invalid app settings: POWER_SCHEDULE_DEFAULT_VM is not a power schedule: hour 25 in (m-f,25) is not between 0 and 23',
    );
  });

  it('reads webhooks with their formats', () => {
    // Act
    const config = loadConfig({
      ...minimal,
      NOTIFY_WEBHOOKS:
        'https://events.contoso.com/in, teams:https://flows.contoso.com/hook,https://hooks.slack.com/services/T/B/x',
      NOTIFY_SIGNING_SECRET: secret,
    });

    // Assess
    expect(config.notify).toEqual({
      webhooks: [
        { url: 'https://events.contoso.com/in', format: 'cloudevents' },
        { url: 'https://flows.contoso.com/hook', format: 'teams' },
        { url: 'https://hooks.slack.com/services/T/B/x', format: 'slack' },
      ],
      signingSecret: secret,
      allowPrivateNetworks: false,
      maxAttempts: 8,
      retryBaseSeconds: 10,
    });
  });

  it('refuses a loopback http webhook unless private networks are allowed, without echoing it', () => {
    // Act
    const refused = () =>
      loadConfig({
        ...minimal,
        NOTIFY_WEBHOOKS: 'http://127.0.0.1:8446/events?token=s3cret',
        NOTIFY_SIGNING_SECRET: secret,
      });
    const allowed = loadConfig({
      ...minimal,
      NOTIFY_WEBHOOKS: 'http://127.0.0.1:8446/events',
      NOTIFY_SIGNING_SECRET: secret,
      NOTIFY_ALLOW_PRIVATE_NETWORKS: 'true',
    });

    // Assess
    expect(refused).toThrow(
      'Invalid app settings: NOTIFY_WEBHOOKS entry 1 points at a private, loopback or link-local address, which NOTIFY_ALLOW_PRIVATE_NETWORKS does not allow',
    );
    expect(refused).not.toThrow(/s3cret/);
    expect(allowed.notify.webhooks).toEqual([
      { url: 'http://127.0.0.1:8446/events', format: 'cloudevents' },
    ]);
  });

  it('asks for a signing secret in the whsec_ form when webhooks are set', () => {
    // Act
    const missing = () => loadConfig({ ...minimal, NOTIFY_WEBHOOKS: 'https://a.contoso.com/' });
    const malformed = () =>
      loadConfig({
        ...minimal,
        NOTIFY_WEBHOOKS: 'https://a.contoso.com/',
        NOTIFY_SIGNING_SECRET: 'hunter2',
      });

    // Assess
    expect(missing).toThrow(
      'Invalid app settings: NOTIFY_SIGNING_SECRET is required with NOTIFY_WEBHOOKS (whsec_ followed by the base64 of the secret)',
    );
    expect(malformed).toThrow(
      'NOTIFY_SIGNING_SECRET must be whsec_ followed by the base64 of the secret (at least 12 bytes)',
    );
  });
});
