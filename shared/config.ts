/**
 * The app settings, parsed once with zod at start-up. This is the only module that reads
 * `process.env`; everything else takes an `AppConfig` (or the part of it it needs).
 */
import { Cron } from 'croner';
import { z } from 'zod';
import { parsePowerSchedule } from '../services/power/parsePowerSchedule.js';
import { ConfigError, type ConfigIssue } from './errors.js';
import { parseWebhookTarget, type WebhookTarget } from './webhooks/webhookTarget.js';

/** How the app reaches Blob and Queue Storage. */
export type StorageConfig =
  | {
      kind: 'connectionString';
      /** `AzureWebJobsStorage`: Azurite locally (`UseDevelopmentStorage=true` works too). */
      connectionString: string;
    }
  | {
      kind: 'identity';
      /** `AzureWebJobsStorage__blobServiceUri`, or derived from `__accountName`. */
      blobServiceUri: string;
      /** `AzureWebJobsStorage__queueServiceUri`, or derived from `__accountName`. */
      queueServiceUri: string;
      /**
       * `AzureWebJobsStorage__tableServiceUri` when set; otherwise derived from the blob endpoint
       * (see `tableServiceUriOf`).
       */
      tableServiceUri?: string;
    };

/** How callers prove who they are. */
export interface AuthConfig {
  /** `https://login.microsoftonline.com/{tenant}` on Azure; the emulator's locally. */
  authority: string;
  tenantId: string;
  /** The API's app registration (client id); tokens for the API carry it, or `audience`, as `aud`. */
  clientId: string;
  /** The API's application ID URI, `api://{clientId}` unless set. */
  audience: string;
  /**
   * Whether App Service Authentication is in front of the app, so that its
   * `x-ms-client-principal` header can be trusted. Off by default: anyone can send that header.
   */
  appServiceAuth: boolean;
  /** Writes each caller may burst before being paced. */
  rateLimitBurst: number;
  /** Writes per minute each caller is paced to after the burst. */
  rateLimitPerMinute: number;
}

/** What the web page and the CLI need to sign people in. Public: served to any browser. */
export interface WebConfig {
  /** The client id people sign in through: `WEB_CLIENT_ID`, else the API's own registration. */
  clientId: string;
  /** The delegated scope a signed-in person asks for: `{audience}/access_as_user` unless set. */
  scope: string;
  /** Where links to resources point: `https://portal.azure.com` unless set (sovereign clouds). */
  portalUrl: string;
}

/** What a sandbox request may ask for: the provisioning policy. */
export interface ProvisioningPolicyConfig {
  /** Lower-case ARM location names, for example `eastus`. */
  allowedLocations: string[];
  allowedVmSizes: string[];
  /** Image URNs, `publisher:offer:sku:version`. */
  allowedVmImages: string[];
  defaultTtlHours: number;
  maxTtlHours: number;
  maxSandboxesPerOwner: number;
}

/**
 * What becomes of the group a failed provisioning leaves behind (only ever a group tagged with
 * that operation's id).
 */
export interface FailedSandboxConfig {
  /**
   * `keep`: tag it `sandbox-state: failed` and shorten its lease to at most `keepHours` from the
   * failure, for inspection; it no longer counts against its owner's quota. `delete`: queue its
   * teardown at once.
   */
  policy: 'keep' | 'delete';
  keepHours: number;
}

/** How scheduled cleanup behaves. */
export interface CleanupConfig {
  /** Six-field NCRONTAB, UTC. The timer reads it as `%CLEANUP_SCHEDULE%`. */
  schedule: string;
  subscriptions: string[];
  mode: 'dry-run' | 'apply';
  warnHours: number;
  orphans: 'off' | 'mark';
  orphanMinAgeDays: number;
  graceDays: number;
  /** Glob patterns (`*`, `?`) of group names that are never touched. */
  protectedPatterns: string[];
  maxDeletes: number;
  /** 0 < fraction ≤ 1 of the managed groups one run may delete. */
  maxDeleteFraction: number;
  /**
   * How many of an applied run's items may be unfinished (on the queue, in hand, or deleting) at
   * once; the rest are sent as these end (`CLEANUP_QUEUE_AHEAD`).
   */
  queueAhead: number;
}

/** How the app acts on Azure's own events about its subscriptions (the `azureEvents` function). */
export interface AzureEventsConfig {
  /**
   * The object id of the app's own identity, so that its own writes, which raise events too, are
   * recognised (besides `clientId`, its `appid`).
   */
  appPrincipalId?: string;
  /** Adoption of groups people create without the app: off by default. */
  adoption: {
    enabled: boolean;
    /** The subscriptions whose new groups are adopted; each is one cleanup covers. */
    subscriptions: string[];
    /** The lease an adopted group gets, from when it was created. */
    ttlHours: number;
  };
}

/** How VM power schedules run. */
export interface PowerConfig {
  /** Six-field NCRONTAB, UTC. The timer reads it as `%POWER_SCHEDULE%`. */
  schedule: string;
  subscriptions: string[];
  /**
   * The schedule a new sandbox of each blueprint gets when its request names none
   * (`POWER_SCHEDULE_DEFAULT_<BLUEPRINT>`), by lower-case blueprint name.
   */
  blueprintDefaults: Record<string, string>;
}

/** Where events go, and how they are signed and retried. */
export interface NotifyConfig {
  /** Receivers of every event (`NOTIFY_WEBHOOKS`). */
  webhooks: WebhookTarget[];
  /** `whsec_<base64>`: the Standard Webhooks signing secret. Without it nothing is signed. */
  signingSecret?: string;
  /** Lets webhooks reach private, loopback and link-local addresses, and over http (local runs). */
  allowPrivateNetworks: boolean;
  /** Tries of one delivery before it is poisoned. */
  maxAttempts: number;
  /** The first retry's delay; each later one doubles, up to an hour. */
  retryBaseSeconds: number;
}

export interface AppConfig {
  subscriptionId: string;
  /** ARM's base URL without a trailing slash; the emulator locally. */
  armEndpoint: string;
  /** Client id of a user-assigned managed identity; system-assigned when absent. */
  clientId?: string;
  /** The value of the `managed-by` tag. */
  appName: string;
  recordsContainer: string;
  /** Fixed LRO poll interval; when absent the SDK follows ARM's `Retry-After`. */
  lroPollIntervalMs?: number;
  lroTimeoutMinutes: number;
  /**
   * Principals that are admins besides holders of the `Sandbox.Admin` app role: object ids,
   * names, or `role:<app role>` (compared case-insensitively).
   */
  adminPrincipals: string[];
  auth: AuthConfig;
  web: WebConfig;
  storage: StorageConfig;
  policy: ProvisioningPolicyConfig;
  failedSandbox: FailedSandboxConfig;
  cleanup: CleanupConfig;
  azureEvents: AzureEventsConfig;
  power: PowerConfig;
  notify: NotifyConfig;
}

export const defaultAllowedLocations = [
  'eastus',
  'eastus2',
  'westus2',
  'westus3',
  'centralus',
  'northeurope',
  'westeurope',
  'uksouth',
  'swedencentral',
  'australiaeast',
  'southeastasia',
  'japaneast',
];
export const defaultAllowedVmSizes = [
  'Standard_B1s',
  'Standard_B1ms',
  'Standard_B2s',
  'Standard_B2ms',
  'Standard_D2s_v5',
];
export const defaultAllowedVmImages = [
  'Canonical:0001-com-ubuntu-server-jammy:22_04-lts-gen2:latest',
  'Canonical:ubuntu-24_04-lts:server:latest',
  'Debian:debian-12:12-gen2:latest',
];
export const defaultProtectedPatterns = [
  'NetworkWatcherRG',
  'cloud-shell-storage-*',
  'DefaultResourceGroup-*',
  'MC_*',
  'AzureBackupRG*',
  'databricks-rg-*',
];

// Every setting arrives as a string or not at all; an empty string counts as not set, because
// that is what an app setting cleared in the portal looks like.
const unset = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);
const text = () => z.preprocess(unset, z.string().trim().optional());
const required = () =>
  z.preprocess(unset, z.string({ error: 'is required' }).trim().min(1, 'is required'));
const int = (min: number) =>
  z.preprocess(
    unset,
    z
      .string()
      .trim()
      .regex(/^\d+$/, `must be a whole number ≥ ${min}`)
      .transform(Number)
      .refine((n) => n >= min, `must be a whole number ≥ ${min}`)
      .optional(),
  );
const intOr = (fallback: number, min: number) => int(min).transform((n) => n ?? fallback);
const list = (fallback: readonly string[], item?: z.ZodString) =>
  z.preprocess(
    unset,
    z
      .string()
      .optional()
      .transform((s) =>
        s === undefined
          ? [...fallback]
          : s
              .split(',')
              .map((x) => x.trim())
              .filter((x) => x.length > 0),
      )
      .pipe(z.array(item ?? z.string())),
  );
const choice = <const T extends readonly [string, ...string[]]>(values: T, fallback: T[number]) =>
  z.preprocess(
    unset,
    z
      .enum(values, { error: `must be one of ${values.join(', ')}` })
      .optional()
      .transform((v) => v ?? fallback),
  );
const httpsUrl = (message: string) =>
  z
    .string()
    .trim()
    .refine((s) => {
      try {
        return new URL(s).protocol === 'https:';
      } catch {
        return false;
      }
    }, message)
    .transform((s) => s.replace(/\/+$/, ''));

const guid = (message: string) =>
  z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, message);
const ncrontab = (fallback: string) =>
  z.preprocess(
    unset,
    z
      .string()
      .trim()
      .refine(isNcrontab, 'must be a six-field NCRONTAB expression, for example "0 0 * * * *"')
      .optional()
      .transform((s) => s ?? fallback),
  );
const flag = () =>
  z.preprocess(
    unset,
    z
      .enum(['true', 'false', '1', '0'], { error: 'must be true or false' })
      .optional()
      .transform((v) => v === 'true' || v === '1'),
  );

const settingsSchema = z.object({
  AZURE_SUBSCRIPTION_ID: required().pipe(
    z.string().regex(/^[^/\s]+$/, 'must be a subscription id, without slashes or spaces'),
  ),
  ARM_ENDPOINT: z.preprocess(
    unset,
    httpsUrl('must be an https URL (the SDK never sends a token over http)')
      .optional()
      .transform((s) => s ?? 'https://management.azure.com'),
  ),
  AZURE_CLIENT_ID: text(),
  APP_PRINCIPAL_ID: text().pipe(
    guid("must be the object id of the app's identity (a GUID)").optional(),
  ),
  APP_NAME: z.preprocess(
    unset,
    z
      .string()
      .trim()
      .max(256, 'must be at most 256 characters (it is a tag value)')
      .optional()
      .transform((s) => s ?? 'sandbox-automation'),
  ),
  RECORDS_CONTAINER: z.preprocess(
    unset,
    z
      .string()
      .trim()
      .regex(
        /^(?!.*--)[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/,
        'must be a valid blob container name (3-63 lower-case letters, digits and single hyphens)',
      )
      .optional()
      .transform((s) => s ?? 'sandbox-records'),
  ),
  LRO_POLL_INTERVAL_MS: int(1),
  LRO_TIMEOUT_MINUTES: intOr(60, 1),
  ADMIN_PRINCIPALS: list([]),
  ENTRA_TENANT_ID: required().pipe(
    z
      .string()
      .regex(
        /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i,
        'must be a tenant id (a GUID)',
      ),
  ),
  ENTRA_AUTHORITY: z.preprocess(unset, httpsUrl('must be an https URL').optional()),
  ENTRA_API_CLIENT_ID: required().pipe(
    z
      .string()
      .regex(
        /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i,
        "must be the API app registration's client id (a GUID)",
      ),
  ),
  ENTRA_API_AUDIENCE: z.preprocess(unset, z.string().trim().min(1).optional()),
  WEB_CLIENT_ID: z.preprocess(
    unset,
    z
      .string()
      .trim()
      .regex(
        /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i,
        "must be the page's app registration's client id (a GUID)",
      )
      .optional(),
  ),
  WEB_API_SCOPE: z.preprocess(unset, z.string().trim().min(1).optional()),
  AZURE_PORTAL_URL: z.preprocess(
    unset,
    httpsUrl('must be an https URL')
      .optional()
      .transform((s) => s ?? 'https://portal.azure.com'),
  ),
  APP_SERVICE_AUTH: choice(['off', 'on'], 'off'),
  RATE_LIMIT_BURST: intOr(30, 1),
  RATE_LIMIT_PER_MINUTE: intOr(60, 1),
  AzureWebJobsStorage: text(),
  AzureWebJobsStorage__blobServiceUri: z.preprocess(
    unset,
    httpsUrl('must be an https URL').optional(),
  ),
  AzureWebJobsStorage__queueServiceUri: z.preprocess(
    unset,
    httpsUrl('must be an https URL').optional(),
  ),
  AzureWebJobsStorage__tableServiceUri: z.preprocess(
    unset,
    httpsUrl('must be an https URL').optional(),
  ),
  AzureWebJobsStorage__accountName: z.preprocess(
    unset,
    z
      .string()
      .trim()
      .regex(
        /^[a-z0-9]{3,24}$/,
        'must be a storage account name (3-24 lower-case letters and digits)',
      )
      .optional(),
  ),
  ALLOWED_LOCATIONS: list(defaultAllowedLocations).transform((xs) =>
    xs.map((x) => x.toLowerCase()),
  ),
  ALLOWED_VM_SIZES: list(defaultAllowedVmSizes),
  ALLOWED_VM_IMAGES: list(
    defaultAllowedVmImages,
    z
      .string()
      .regex(/^[^:\s]+:[^:\s]+:[^:\s]+:[^:\s]+$/, 'must list URNs as publisher:offer:sku:version'),
  ),
  DEFAULT_TTL_HOURS: intOr(24, 1),
  MAX_TTL_HOURS: intOr(168, 1),
  MAX_SANDBOXES_PER_OWNER: intOr(5, 1),
  FAILED_SANDBOX_POLICY: choice(['keep', 'delete'], 'keep'),
  FAILED_SANDBOX_KEEP_HOURS: intOr(24, 1),
  CLEANUP_SCHEDULE: ncrontab('0 0 * * * *'),
  CLEANUP_SUBSCRIPTIONS: list([]),
  CLEANUP_MODE: choice(['dry-run', 'apply'], 'dry-run'),
  CLEANUP_WARN_HOURS: intOr(24, 0),
  CLEANUP_ORPHANS: choice(['off', 'mark'], 'off'),
  CLEANUP_ORPHAN_MIN_AGE_DAYS: intOr(30, 1),
  CLEANUP_GRACE_DAYS: intOr(7, 0),
  CLEANUP_PROTECTED_PATTERNS: list(defaultProtectedPatterns),
  CLEANUP_MAX_DELETES: intOr(25, 0),
  CLEANUP_QUEUE_AHEAD: intOr(10_000, 1),
  CLEANUP_MAX_DELETE_FRACTION: z.preprocess(
    unset,
    z
      .string()
      .trim()
      .regex(/^(0|1)?(\.\d+)?$/, 'must be a number greater than 0 and at most 1')
      .transform(Number)
      .refine((n) => n > 0 && n <= 1, 'must be a number greater than 0 and at most 1')
      .optional()
      .transform((n) => n ?? 0.5),
  ),
  ADOPTION: choice(['off', 'on'], 'off'),
  ADOPTION_SUBSCRIPTIONS: list([]),
  ADOPTION_TTL_HOURS: int(1),
  POWER_SCHEDULE: ncrontab('0 */15 * * * *'),
  POWER_SUBSCRIPTIONS: list([]),
  NOTIFY_WEBHOOKS: list([]),
  NOTIFY_SIGNING_SECRET: z.preprocess(
    unset,
    z
      .string()
      .trim()
      .regex(
        /^whsec_[A-Za-z0-9+/]{16,}={0,2}$/,
        'must be whsec_ followed by the base64 of the secret (at least 12 bytes)',
      )
      .optional(),
  ),
  NOTIFY_ALLOW_PRIVATE_NETWORKS: flag(),
  NOTIFY_MAX_ATTEMPTS: intOr(8, 1),
  NOTIFY_RETRY_BASE_SECONDS: intOr(10, 1),
});

/** `POWER_SCHEDULE_DEFAULT_<BLUEPRINT>`: one setting per blueprint, so none is JSON. */
const POWER_DEFAULT_PREFIX = 'POWER_SCHEDULE_DEFAULT_';

/** The names of every setting `loadConfig` reads, for documentation and tests. */
export const settingNames = Object.keys(settingsSchema.shape) as (keyof z.input<
  typeof settingsSchema
>)[];

/**
 * Parses app settings into an `AppConfig`. Throws a `ConfigError` that names every missing or
 * invalid setting (values are never echoed: some settings hold secrets).
 *
 * @example
 * const config = loadConfig({ AZURE_SUBSCRIPTION_ID: 'sub-1', AzureWebJobsStorage: 'UseDevelopmentStorage=true' });
 * config.cleanup.mode; // 'dry-run'
 */
export function loadConfig(env: Record<string, string | undefined> = process.env): AppConfig {
  const parsed = settingsSchema.safeParse(env);
  const issues: ConfigIssue[] = parsed.success
    ? []
    : parsed.error.issues.map((issue) => ({
        setting: String(issue.path[0] ?? 'settings'),
        message:
          issue.code === 'invalid_type' && issue.input === undefined
            ? 'is required'
            : issue.message,
      }));
  // Which way storage is reached is checked even when other settings are wrong, so one start-up
  // reports everything there is to fix.
  const storageSettings = storageSchema.safeParse(env);
  const storage = storageSettings.success ? storageFrom(storageSettings.data, issues) : undefined;
  if (parsed.success && parsed.data.DEFAULT_TTL_HOURS > parsed.data.MAX_TTL_HOURS) {
    issues.push({ setting: 'DEFAULT_TTL_HOURS', message: 'must not exceed MAX_TTL_HOURS' });
  }
  if (parsed.success) issues.push(...adoptionIssues(parsed.data));
  const blueprintDefaults = powerDefaultsFrom(env, issues);
  const webhooks = parsed.success ? webhooksFrom(parsed.data, issues) : [];
  if (!parsed.success || issues.length > 0 || !storage) {
    throw new ConfigError(dedupe(issues));
  }
  const s = parsed.data;
  return {
    subscriptionId: s.AZURE_SUBSCRIPTION_ID,
    armEndpoint: s.ARM_ENDPOINT,
    ...(s.AZURE_CLIENT_ID ? { clientId: s.AZURE_CLIENT_ID } : {}),
    appName: s.APP_NAME,
    recordsContainer: s.RECORDS_CONTAINER,
    ...(s.LRO_POLL_INTERVAL_MS !== undefined ? { lroPollIntervalMs: s.LRO_POLL_INTERVAL_MS } : {}),
    lroTimeoutMinutes: s.LRO_TIMEOUT_MINUTES,
    adminPrincipals: s.ADMIN_PRINCIPALS,
    auth: {
      authority:
        s.ENTRA_AUTHORITY ?? `https://login.microsoftonline.com/${s.ENTRA_TENANT_ID.toLowerCase()}`,
      tenantId: s.ENTRA_TENANT_ID.toLowerCase(),
      clientId: s.ENTRA_API_CLIENT_ID.toLowerCase(),
      audience: s.ENTRA_API_AUDIENCE ?? `api://${s.ENTRA_API_CLIENT_ID.toLowerCase()}`,
      appServiceAuth: s.APP_SERVICE_AUTH === 'on',
      rateLimitBurst: s.RATE_LIMIT_BURST,
      rateLimitPerMinute: s.RATE_LIMIT_PER_MINUTE,
    },
    web: {
      clientId: (s.WEB_CLIENT_ID ?? s.ENTRA_API_CLIENT_ID).toLowerCase(),
      scope:
        s.WEB_API_SCOPE ??
        `${s.ENTRA_API_AUDIENCE ?? `api://${s.ENTRA_API_CLIENT_ID.toLowerCase()}`}/access_as_user`,
      portalUrl: s.AZURE_PORTAL_URL,
    },
    storage,
    policy: {
      allowedLocations: s.ALLOWED_LOCATIONS,
      allowedVmSizes: s.ALLOWED_VM_SIZES,
      allowedVmImages: s.ALLOWED_VM_IMAGES,
      defaultTtlHours: s.DEFAULT_TTL_HOURS,
      maxTtlHours: s.MAX_TTL_HOURS,
      maxSandboxesPerOwner: s.MAX_SANDBOXES_PER_OWNER,
    },
    failedSandbox: {
      policy: s.FAILED_SANDBOX_POLICY,
      keepHours: s.FAILED_SANDBOX_KEEP_HOURS,
    },
    cleanup: {
      schedule: s.CLEANUP_SCHEDULE,
      subscriptions: cleanupSubscriptions(s),
      mode: s.CLEANUP_MODE,
      warnHours: s.CLEANUP_WARN_HOURS,
      orphans: s.CLEANUP_ORPHANS,
      orphanMinAgeDays: s.CLEANUP_ORPHAN_MIN_AGE_DAYS,
      graceDays: s.CLEANUP_GRACE_DAYS,
      protectedPatterns: s.CLEANUP_PROTECTED_PATTERNS,
      maxDeletes: s.CLEANUP_MAX_DELETES,
      maxDeleteFraction: s.CLEANUP_MAX_DELETE_FRACTION,
      queueAhead: s.CLEANUP_QUEUE_AHEAD,
    },
    azureEvents: {
      ...(s.APP_PRINCIPAL_ID ? { appPrincipalId: s.APP_PRINCIPAL_ID.toLowerCase() } : {}),
      adoption: {
        enabled: s.ADOPTION === 'on',
        subscriptions: adoptionSubscriptions(s),
        ttlHours: s.ADOPTION_TTL_HOURS ?? s.DEFAULT_TTL_HOURS,
      },
    },
    power: {
      schedule: s.POWER_SCHEDULE,
      subscriptions:
        s.POWER_SUBSCRIPTIONS.length > 0 ? s.POWER_SUBSCRIPTIONS : [s.AZURE_SUBSCRIPTION_ID],
      blueprintDefaults,
    },
    notify: {
      webhooks,
      ...(s.NOTIFY_SIGNING_SECRET ? { signingSecret: s.NOTIFY_SIGNING_SECRET } : {}),
      allowPrivateNetworks: s.NOTIFY_ALLOW_PRIVATE_NETWORKS,
      maxAttempts: s.NOTIFY_MAX_ATTEMPTS,
      retryBaseSeconds: s.NOTIFY_RETRY_BASE_SECONDS,
    },
  };
}

type Settings = z.output<typeof settingsSchema>;

function cleanupSubscriptions(s: Settings): string[] {
  return s.CLEANUP_SUBSCRIPTIONS.length > 0 ? s.CLEANUP_SUBSCRIPTIONS : [s.AZURE_SUBSCRIPTION_ID];
}

function adoptionSubscriptions(s: Settings): string[] {
  return s.ADOPTION_SUBSCRIPTIONS.length > 0 ? s.ADOPTION_SUBSCRIPTIONS : [s.AZURE_SUBSCRIPTION_ID];
}

/**
 * An adopted group must be one cleanup governs (else its lease would never end it) and its lease
 * one the API could have given.
 */
function adoptionIssues(s: Settings): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const cleaned = new Set(cleanupSubscriptions(s).map((id) => id.toLowerCase()));
  const outside = adoptionSubscriptions(s).filter((id) => !cleaned.has(id.toLowerCase()));
  if (outside.length > 0) {
    issues.push({
      setting: 'ADOPTION_SUBSCRIPTIONS',
      message: `must be among the subscriptions cleanup covers (CLEANUP_SUBSCRIPTIONS), or adopted groups would never be cleaned up: ${outside.join(', ')}`,
    });
  }
  if (s.ADOPTION_TTL_HOURS !== undefined && s.ADOPTION_TTL_HOURS > s.MAX_TTL_HOURS) {
    issues.push({ setting: 'ADOPTION_TTL_HOURS', message: 'must not exceed MAX_TTL_HOURS' });
  }
  return issues;
}

/** Each `POWER_SCHEDULE_DEFAULT_<BLUEPRINT>`, checked with the schedule parser. */
function powerDefaultsFrom(
  env: Record<string, string | undefined>,
  issues: ConfigIssue[],
): Record<string, string> {
  const defaults: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    if (!name.toUpperCase().startsWith(POWER_DEFAULT_PREFIX) || value === undefined) continue;
    if (value.trim() === '') continue;
    const blueprint = name.slice(POWER_DEFAULT_PREFIX.length).toLowerCase().replaceAll('_', '-');
    const reading = parsePowerSchedule(value);
    if (blueprint === '') {
      issues.push({ setting: name, message: 'must name a blueprint after the prefix' });
    } else if (reading.kind === 'invalid') {
      issues.push({ setting: name, message: `is not a power schedule: ${reading.reason}` });
    } else {
      defaults[blueprint] = value.trim();
    }
  }
  return defaults;
}

/** `NOTIFY_WEBHOOKS`, each entry checked against the SSRF rules; a signing secret goes with them. */
function webhooksFrom(s: z.output<typeof settingsSchema>, issues: ConfigIssue[]): WebhookTarget[] {
  const targets: WebhookTarget[] = [];
  for (const [index, entry] of s.NOTIFY_WEBHOOKS.entries()) {
    try {
      targets.push(
        parseWebhookTarget(entry, { allowPrivateNetworks: s.NOTIFY_ALLOW_PRIVATE_NETWORKS }),
      );
    } catch (error) {
      // The reason never repeats the URL: a Slack or Teams webhook URL is a secret.
      issues.push({
        setting: 'NOTIFY_WEBHOOKS',
        message: `entry ${index + 1} ${(error as Error).message}`,
      });
    }
  }
  if (targets.length > 0 && !s.NOTIFY_SIGNING_SECRET) {
    issues.push({
      setting: 'NOTIFY_SIGNING_SECRET',
      message: 'is required with NOTIFY_WEBHOOKS (whsec_ followed by the base64 of the secret)',
    });
  }
  return targets;
}

let cached: AppConfig | undefined;

/**
 * The process's configuration, parsed from `process.env` on first use and kept.
 *
 * @example
 * const { subscriptionId } = getConfig();
 */
export function getConfig(): AppConfig {
  cached ??= loadConfig(process.env);
  return cached;
}

/** Forgets the memoized configuration, for tests that change settings between cases. */
export function resetConfigForTests(): void {
  cached = undefined;
}

const storageSchema = settingsSchema.pick({
  AzureWebJobsStorage: true,
  AzureWebJobsStorage__blobServiceUri: true,
  AzureWebJobsStorage__queueServiceUri: true,
  AzureWebJobsStorage__tableServiceUri: true,
  AzureWebJobsStorage__accountName: true,
});

function storageFrom(
  s: z.output<typeof storageSchema>,
  issues: ConfigIssue[],
): StorageConfig | undefined {
  const connectionString = s.AzureWebJobsStorage;
  const account = s.AzureWebJobsStorage__accountName;
  const blob =
    s.AzureWebJobsStorage__blobServiceUri ??
    (account ? `https://${account}.blob.core.windows.net` : undefined);
  const queue =
    s.AzureWebJobsStorage__queueServiceUri ??
    (account ? `https://${account}.queue.core.windows.net` : undefined);
  const identityConfigured = blob !== undefined || queue !== undefined;
  if (connectionString && identityConfigured) {
    issues.push({
      setting: 'AzureWebJobsStorage',
      message:
        'must not be set together with AzureWebJobsStorage__blobServiceUri/__queueServiceUri/__accountName: configure exactly one way to reach storage',
    });
    return undefined;
  }
  if (connectionString) return { kind: 'connectionString', connectionString };
  if (blob && queue) {
    const table = s.AzureWebJobsStorage__tableServiceUri;
    const storage: StorageConfig = {
      kind: 'identity',
      blobServiceUri: blob,
      queueServiceUri: queue,
      ...(table ? { tableServiceUri: table } : {}),
    };
    if (tableServiceUriOf(storage) === undefined) {
      issues.push({
        setting: 'AzureWebJobsStorage__tableServiceUri',
        message:
          'is required when AzureWebJobsStorage__blobServiceUri is not a standard https://{account}.blob.{suffix} endpoint',
      });
      return undefined;
    }
    return storage;
  }
  if (blob) {
    issues.push({
      setting: 'AzureWebJobsStorage__queueServiceUri',
      message: 'is required with AzureWebJobsStorage__blobServiceUri',
    });
  } else if (queue) {
    issues.push({
      setting: 'AzureWebJobsStorage__blobServiceUri',
      message: 'is required with AzureWebJobsStorage__queueServiceUri',
    });
  } else {
    issues.push({
      setting: 'AzureWebJobsStorage',
      message:
        'is required (a connection string), or set AzureWebJobsStorage__blobServiceUri and AzureWebJobsStorage__queueServiceUri (or AzureWebJobsStorage__accountName) for identity-based access',
    });
  }
  return undefined;
}

/**
 * The Table service endpoint of identity-based storage: the one set, or the blob endpoint's
 * sibling (`https://acct.blob.core.windows.net` → `https://acct.table.core.windows.net`), as the
 * Functions host derives it too. `undefined` when the blob endpoint has no standard host name.
 *
 * @example
 * tableServiceUriOf({ kind: 'identity', blobServiceUri: 'https://a.blob.core.windows.net', queueServiceUri: '…' });
 * // 'https://a.table.core.windows.net'
 */
export function tableServiceUriOf(
  storage: Extract<StorageConfig, { kind: 'identity' }>,
): string | undefined {
  if (storage.tableServiceUri) return storage.tableServiceUri;
  const url = new URL(storage.blobServiceUri);
  const [account, service, ...suffix] = url.hostname.split('.');
  if (!account || service !== 'blob' || suffix.length === 0) return undefined;
  url.hostname = [account, 'table', ...suffix].join('.');
  return url.toString().replace(/\/+$/, '');
}

function isNcrontab(expression: string): boolean {
  if (expression.split(/\s+/).length !== 6) return false;
  try {
    new Cron(expression, { paused: true });
    return true;
  } catch {
    return false;
  }
}

function dedupe(issues: ConfigIssue[]): ConfigIssue[] {
  const seen = new Set<string>();
  return issues.filter((i) => {
    const key = `${i.setting}\u0000${i.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
