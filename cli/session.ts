import { chmod, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';

/**
 * How the CLI signs in, kept by `sandbox login` in `{configDir}/session.json` (owner-only). It
 * holds no secret: a local test user's password is read from the running stack's runtime.json
 * each time, the Azure CLI keeps its own tokens, and a device code sign-in's tokens are in
 * MSAL's cache beside it (`tokens-*.json`, see `fileTokenCache`).
 */
export const sessionSchema = z.object({
  endpoint: z.string().url(),
  method: z.enum(['local', 'azure-cli', 'device-code']),
  /** How the API signs people in, from its `/api/client-config` at sign-in. */
  target: z.object({
    tenantId: z.string(),
    authority: z.string().url(),
    clientId: z.string(),
    scope: z.string(),
    portalUrl: z.string().url(),
  }),
  /** The local test user (`local`). */
  user: z.string().optional(),
  /** The runtime.json the local sign-in reads (`local`). */
  runtimePath: z.string().optional(),
  /** `@azure/identity`'s AuthenticationRecord, serialized (`device-code`): names the cached account. */
  authenticationRecord: z.string().optional(),
  /** Who the API said the caller is, at sign-in. */
  signedInAs: z.string(),
  at: z.string(),
});

export type Session = z.infer<typeof sessionSchema>;

const sessionFile = (configDir: string) => join(configDir, 'session.json');

/** MSAL's token cache of one kind (`sandbox-cli.nocae`, `sandbox-cli.cae`) for device code sign-ins. */
export const tokenCacheFile = (configDir: string, name: string) =>
  join(configDir, `tokens-${name.replace(/[^\w.-]/g, '_')}.json`);

/**
 * The saved sign-in, or `undefined` when there is none (or it cannot be read: sign in again).
 *
 * @example
 * const session = await loadSession(env.configDir);
 */
export async function loadSession(configDir: string): Promise<Session | undefined> {
  let text: string;
  try {
    text = await readFile(sessionFile(configDir), 'utf8');
  } catch {
    return undefined;
  }
  const parsed = sessionSchema.safeParse(JSON.parse(text) as unknown);
  return parsed.success ? parsed.data : undefined;
}

/** Saves the sign-in, readable by its owner only. */
export async function saveSession(configDir: string, session: Session): Promise<void> {
  await mkdir(configDir, { recursive: true, mode: 0o700 });
  const file = sessionFile(configDir);
  await writeFile(file, `${JSON.stringify(session, null, 2)}\n`, { mode: 0o600 });
  await chmod(file, 0o600);
}

/** Forgets the sign-in and any cached tokens. */
export async function clearSession(configDir: string): Promise<void> {
  await rm(sessionFile(configDir), { force: true });
  const files = await readdir(configDir).catch(() => [] as string[]);
  for (const file of files.filter((f) => /^tokens-.*\.json$/.test(f))) {
    await rm(join(configDir, file), { force: true });
  }
}
