/**
 * `npm run token -- --user <username> [--scope <scope>]`: prints an access token from the running
 * local stack, for curl. `--app <name>` signs a service principal in instead; `--runtime <path>`
 * reads another runtime.json than `.local/runtime.json`.
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { requestToken, TokenRequestError } from './requestToken.js';
import type { RuntimeInfo } from './startLocalStack.js';

const USAGE = `Usage: npm run -s token -- --user <username> [--scope <scope>]
       npm run -s token -- --app <service principal> [--scope <scope>]
The token is for the app's API unless --scope names another resource, for example
--scope https://management.azure.com/.default for the ARM emulator.`;

try {
  const { values } = parseArgs({
    options: {
      user: { type: 'string' },
      app: { type: 'string' },
      scope: { type: 'string' },
      runtime: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const path = resolve(values.runtime ?? '.local/runtime.json');
  let runtime: RuntimeInfo;
  try {
    runtime = JSON.parse(await readFile(path, 'utf8')) as RuntimeInfo;
  } catch {
    throw new TokenRequestError(
      `No local stack details at ${path}: start it with npm start first.`,
    );
  }
  if (!runtime.entra) {
    throw new TokenRequestError(
      `${path} has no entra section: restart the local stack (npm start).`,
    );
  }
  process.stdout.write(
    `${await requestToken(runtime, {
      ...(values.user ? { user: values.user } : {}),
      ...(values.app ? { app: values.app } : {}),
      ...(values.scope ? { scope: values.scope } : {}),
    })}\n`,
  );
} catch (error) {
  console.error(
    error instanceof TokenRequestError ? error.message : `${(error as Error).message}\n${USAGE}`,
  );
  process.exit(1);
}
