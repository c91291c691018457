import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface LocalSettings {
  values: Record<string, string>;
  /** `Host.LocalHttpPort`, when set. */
  localHttpPort?: number;
}

/** Reads `<appDir>/local.settings.json` (missing file → no values), as Core Tools does. */
export async function readLocalSettings(appDir: string): Promise<LocalSettings> {
  let text: string;
  try {
    text = await readFile(join(appDir, 'local.settings.json'), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { values: {} };
    throw error;
  }
  const json = JSON.parse(text) as {
    Values?: Record<string, unknown>;
    Host?: { LocalHttpPort?: unknown };
  };
  const values = Object.fromEntries(
    Object.entries(json.Values ?? {}).map(([k, v]) => [k, String(v)]),
  );
  const port = json.Host?.LocalHttpPort;
  return { values, localHttpPort: port === undefined ? undefined : Number(port) };
}

/**
 * Merges local settings into an environment the way Core Tools does: a variable that is
 * already set wins, and the skipped names are returned so they can be reported.
 */
export function mergeSettings(
  env: Record<string, string | undefined>,
  values: Record<string, string>,
): string[] {
  const skipped: string[] = [];
  for (const [name, value] of Object.entries(values)) {
    if (env[name] !== undefined) skipped.push(name);
    else env[name] = value;
  }
  return skipped;
}

/** Whether `AzureWebJobs.<name>.Disabled` (or its `__` form) disables a function. */
export function isFunctionDisabled(name: string, env: Record<string, string | undefined>): boolean {
  const lower = name.toLowerCase();
  const wanted = [`azurewebjobs.${lower}.disabled`, `azurewebjobs__${lower}__disabled`];
  const key = Object.keys(env).find((k) => wanted.includes(k.toLowerCase()));
  const value = key === undefined ? undefined : env[key]?.toLowerCase();
  return value === 'true' || value === '1';
}
