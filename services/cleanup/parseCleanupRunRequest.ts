import { z } from 'zod';
import { InvalidCleanupRequestError } from './CleanupError.js';
import type { CleanupMode } from './CleanupRun.js';

const schema = z.strictObject({ dryRun: z.boolean().optional() });

/**
 * The mode asked for by `POST /api/cleanup/runs`: `{ "dryRun": false }` applies; `true`, an empty
 * body or no `dryRun` is a dry run, because a dry run is the safe default. Unknown fields are
 * rejected, so a typo never silently changes what runs.
 *
 * @example
 * parseCleanupRunRequest('{"dryRun":false}'); // 'apply'
 * parseCleanupRunRequest(''); // 'dry-run'
 */
export function parseCleanupRunRequest(body: string): CleanupMode {
  if (body.trim() === '') return 'dry-run';
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    throw new InvalidCleanupRequestError('the body is not JSON');
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where =
      issue?.path.join('.') ||
      (issue?.code === 'unrecognized_keys' ? issue.keys.join(', ') : 'body');
    throw new InvalidCleanupRequestError(`${where}: ${issue?.message ?? 'invalid'}`);
  }
  return parsed.data.dryRun === false ? 'apply' : 'dry-run';
}
