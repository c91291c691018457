import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { z } from 'zod';
import { CliError } from './CliError.js';
import type { CliEnvironment } from './cliEnvironment.js';
import { EXIT } from './exitCodes.js';

/** The parts of the local stack's `.local/runtime.json` the CLI reads. */
export const localRuntimeSchema = z.object({
  host: z.object({ url: z.string().url() }),
  arm: z.object({ caCertPath: z.string() }),
  entra: z.object({
    authority: z.string().url(),
    tenantId: z.string(),
    clientId: z.string(),
    users: z.array(z.object({ username: z.string(), password: z.string() })),
  }),
});

export type LocalRuntime = z.infer<typeof localRuntimeSchema> & { path: string };

/** Where a runtime.json may be: `SANDBOX_RUNTIME`, else `.local/runtime.json` here or above. */
function candidates(env: CliEnvironment): string[] {
  if (env.runtimePath) return [resolve(env.cwd, env.runtimePath)];
  const found: string[] = [];
  for (let dir = resolve(env.cwd); ; dir = dirname(dir)) {
    found.push(join(dir, '.local', 'runtime.json'));
    if (dirname(dir) === dir) break;
  }
  // The checkout the CLI runs from, wherever the terminal is.
  found.push(join(import.meta.dirname, '..', '.local', 'runtime.json'));
  return found;
}

/**
 * The running local stack's details, as `npm start` wrote them; `undefined` when there is none.
 * A file that is there but unreadable is an error that names it.
 *
 * @example
 * const runtime = await findLocalRuntime(env);
 * runtime?.host.url; // 'http://127.0.0.1:7071'
 */
export async function findLocalRuntime(env: CliEnvironment): Promise<LocalRuntime | undefined> {
  for (const path of candidates(env)) {
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch {
      continue;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new CliError(`${path} is not JSON: restart the local stack (npm start).`, EXIT.usage);
    }
    const runtime = localRuntimeSchema.safeParse(parsed);
    if (!runtime.success) {
      throw new CliError(
        `${path} lacks the local stack's host or Entra ID details: restart it (npm start).`,
        EXIT.usage,
      );
    }
    return { ...runtime.data, path };
  }
  return undefined;
}
