import { parseArgs } from 'node:util';
import { z } from 'zod';
import { DEFAULT_DURATIONS, type EmulatorOptions } from './EmulatorOptions.js';
import { eventDeliverySettingsSchema } from './events/EventDelivery.js';
import { faultSettingsSchema } from './FaultInjector.js';

const port = z.coerce.number().int().min(0).max(65535);

/** A setting given as JSON text, parsed and then checked against `schema`. */
function json<T extends z.ZodType>(schema: T, example: string) {
  return z
    .string()
    .transform((text, ctx) => {
      try {
        return JSON.parse(text) as unknown;
      } catch {
        ctx.addIssue({ code: 'custom', message: `must be JSON, for example ${example}` });
        return z.NEVER;
      }
    })
    .pipe(schema);
}

const strings = z.array(z.string());
const principalType = z.enum(['User', 'Group', 'ServicePrincipal', 'ForeignGroup', 'Device']);
const roleDefinitions = z.array(
  z
    .object({
      id: z.string().optional(),
      roleName: z.string().min(1),
      description: z.string().optional(),
      permissions: z.array(
        z
          .object({
            actions: strings,
            notActions: strings,
            dataActions: strings,
            notDataActions: strings,
          })
          .partial()
          .strict(),
      ),
      assignableScopes: strings.optional(),
    })
    .strict(),
);
const roleAssignments = z.array(
  z
    .object({
      principalId: z.string(),
      role: z.string().min(1),
      scope: z.string().optional(),
      principalType: principalType.optional(),
    })
    .strict(),
);
const entraDirectory = z
  .object({
    api: z
      .object({
        displayName: z.string(),
        clientId: z.string(),
        identifierUri: z.string(),
        appRoles: z.array(
          z.union([
            z.string(),
            z
              .object({
                value: z.string(),
                displayName: z.string().optional(),
                description: z.string().optional(),
                id: z.string().optional(),
                allowedMemberTypes: z.array(z.enum(['User', 'Application'])).optional(),
              })
              .strict(),
          ]),
        ),
        scopes: strings,
        accessTokenVersion: z.union([z.literal(1), z.literal(2)]),
      })
      .partial()
      .strict(),
    users: z.array(
      z
        .object({
          username: z.string(),
          password: z.string().optional(),
          roles: strings.optional(),
          displayName: z.string().optional(),
          objectId: z.string().optional(),
        })
        .strict(),
    ),
    servicePrincipals: z.array(
      z
        .object({
          displayName: z.string(),
          clientId: z.string().optional(),
          clientSecret: z.string().optional(),
          objectId: z.string().optional(),
          roles: strings.optional(),
        })
        .strict(),
    ),
    tokenLifetimeSeconds: z.number().int().positive(),
  })
  .partial()
  .strict();

const configSchema = z.object({
  port: port.default(8443),
  identityPort: port.default(8444),
  host: z.string().default('127.0.0.1'),
  subscriptions: z
    .string()
    .transform((v) =>
      v
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    )
    .optional(),
  stateFile: z.string().optional(),
  certDir: z.string().optional(),
  timeScale: z.coerce.number().positive().optional(),
  throttling: z.enum(['on', 'off']).default('on'),
  faults: json(faultSettingsSchema, '{"status503Rate":0.05}').optional(),
  durations: json(
    z
      .object(Object.fromEntries(Object.keys(DEFAULT_DURATIONS).map((k) => [k, z.number().min(0)])))
      .partial()
      .strict(),
    '{"vmCreate":5000}',
  ).optional(),
  tokenLifetimeSeconds: z.coerce.number().int().positive().optional(),
  identityHeader: z.string().min(8).optional(),
  entraPort: port.default(8445),
  entra: json(
    entraDirectory,
    '{"users":[{"username":"ops@sandbox.test","roles":["Sandbox.Admin"]}]}',
  ).optional(),
  roleDefinitions: json(
    roleDefinitions,
    '[{"roleName":"Sandbox operator","permissions":[{"actions":["*/read"]}]}]',
  ).optional(),
  roleAssignments: json(roleAssignments, '[{"principalId":"…","role":"Contributor"}]').optional(),
  // A JSON object of account name (or *) to connection string, or one connection string for any.
  storageConnections: z
    .string()
    .transform((text, ctx) => {
      if (!text.trim().startsWith('{')) return { '*': text };
      try {
        return JSON.parse(text) as unknown;
      } catch {
        ctx.addIssue({
          code: 'custom',
          message:
            'must be a connection string, or JSON mapping account names (or *) to connection strings',
        });
        return z.NEVER;
      }
    })
    .pipe(z.record(z.string().min(1), z.string().min(1)))
    .optional(),
  eventDelivery: json(eventDeliverySettingsSchema, '{"duplicateRate":0.1,"seed":7}').optional(),
});

/** Flag name, env var name, option key. */
const SETTINGS = [
  ['port', 'ARM_EMULATOR_PORT', 'port'],
  ['identity-port', 'ARM_EMULATOR_IDENTITY_PORT', 'identityPort'],
  ['host', 'ARM_EMULATOR_HOST', 'host'],
  ['subscriptions', 'ARM_EMULATOR_SUBSCRIPTIONS', 'subscriptions'],
  ['state-file', 'ARM_EMULATOR_STATE_FILE', 'stateFile'],
  ['cert-dir', 'ARM_EMULATOR_CERT_DIR', 'certDir'],
  ['time-scale', 'ARM_EMULATOR_TIME_SCALE', 'timeScale'],
  ['throttling', 'ARM_EMULATOR_THROTTLING', 'throttling'],
  ['faults', 'ARM_EMULATOR_FAULTS', 'faults'],
  ['durations', 'ARM_EMULATOR_DURATIONS', 'durations'],
  ['token-lifetime-seconds', 'ARM_EMULATOR_TOKEN_LIFETIME_SECONDS', 'tokenLifetimeSeconds'],
  ['identity-header', 'ARM_EMULATOR_IDENTITY_HEADER', 'identityHeader'],
  ['entra-port', 'ARM_EMULATOR_ENTRA_PORT', 'entraPort'],
  ['entra-directory', 'ARM_EMULATOR_ENTRA_DIRECTORY', 'entra'],
  ['role-definitions', 'ARM_EMULATOR_ROLE_DEFINITIONS', 'roleDefinitions'],
  ['role-assignments', 'ARM_EMULATOR_ROLE_ASSIGNMENTS', 'roleAssignments'],
  ['storage-connections', 'ARM_EMULATOR_STORAGE_CONNECTIONS', 'storageConnections'],
  ['event-delivery', 'ARM_EMULATOR_EVENT_DELIVERY', 'eventDelivery'],
] as const;

export const CLI_USAGE = `Usage: npm run emulator -- [flags]   (each flag also reads its env var)
${SETTINGS.map(([flag, env]) => `  --${flag.padEnd(24)} ${env}`).join('\n')}
Defaults: ports 8443 (ARM, HTTPS), 8444 (identity, HTTP) and 8445 (Entra ID, HTTPS); 0 picks a
free port. JSON settings: --entra-directory (the API registration, users, service principals),
--role-definitions (custom roles), --role-assignments (instead of Owner for the default
identities) and --event-delivery (duplicated, reordered deliveries). --storage-connections maps
storage account names (or *) to connection strings (Azurite's), where Event Grid delivers.`;

/**
 * Reads the CLI's settings once, from flags first and then env, and fails with a message naming
 * the bad setting.
 *
 * @example
 * parseCliConfig(['--port', '0'], process.env); // { port: 0, identityPort: 8444, … }
 */
export function parseCliConfig(argv: string[], env: NodeJS.ProcessEnv): EmulatorOptions {
  const { values } = parseArgs({
    args: argv,
    options: Object.fromEntries(SETTINGS.map(([flag]) => [flag, { type: 'string' as const }])),
    strict: true,
  });
  const raw: Record<string, unknown> = {};
  for (const [flag, envName, key] of SETTINGS) {
    const value = values[flag] ?? env[envName];
    if (value !== undefined && value !== '') raw[key] = value;
  }
  const result = configSchema.safeParse(raw);
  if (!result.success) {
    const issue = result.error.issues[0];
    const setting = SETTINGS.find(([, , key]) => key === issue?.path[0]);
    throw new Error(
      `Invalid emulator setting ${setting ? `--${setting[0]} / ${setting[1]}` : ''}: ${issue?.message}`,
    );
  }
  const { throttling, ...rest } = result.data;
  return { ...rest, ...(throttling === 'off' ? { throttling: false as const } : {}) };
}
