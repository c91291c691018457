import { parseArgs } from 'node:util';
import { z } from 'zod';
import { DEFAULT_DURATIONS, type EmulatorOptions } from './EmulatorOptions.js';
import { faultSettingsSchema } from './FaultInjector.js';

const port = z.coerce.number().int().min(0).max(65535);

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
  faults: z
    .string()
    .transform((text, ctx) => {
      try {
        return JSON.parse(text) as unknown;
      } catch {
        ctx.addIssue({
          code: 'custom',
          message: 'must be JSON, for example {"status503Rate":0.05}',
        });
        return z.NEVER;
      }
    })
    .pipe(faultSettingsSchema)
    .optional(),
  durations: z
    .string()
    .transform((text, ctx) => {
      try {
        return JSON.parse(text) as unknown;
      } catch {
        ctx.addIssue({ code: 'custom', message: 'must be JSON, for example {"vmCreate":5000}' });
        return z.NEVER;
      }
    })
    .pipe(
      z
        .object(
          Object.fromEntries(Object.keys(DEFAULT_DURATIONS).map((k) => [k, z.number().min(0)])),
        )
        .partial()
        .strict(),
    )
    .optional(),
  tokenLifetimeSeconds: z.coerce.number().int().positive().optional(),
  identityHeader: z.string().min(8).optional(),
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
] as const;

export const CLI_USAGE = `Usage: npm run emulator -- [flags]   (each flag also reads its env var)
${SETTINGS.map(([flag, env]) => `  --${flag.padEnd(24)} ${env}`).join('\n')}
Defaults: ports 8443 (ARM, HTTPS) and 8444 (identity, HTTP); 0 picks a free port.`;

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
