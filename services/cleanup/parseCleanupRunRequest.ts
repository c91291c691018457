import { z } from 'zod';
import { validate } from '../../shared/validate.js';
import type { CleanupMode } from './CleanupRun.js';

/** The body of `POST /api/cleanup/runs`: optional, and so is `dryRun`. */
export const cleanupRunRequestSchema = z
  .strictObject({ dryRun: z.boolean().optional() })
  .optional();

/**
 * The mode asked for by `POST /api/cleanup/runs`: `{ "dryRun": false }` applies; `true`, no body
 * or no `dryRun` is a dry run, because a dry run is the safe default. Unknown fields are rejected,
 * so a typo never silently changes what runs.
 *
 * @example
 * parseCleanupRunRequest({ dryRun: false }); // 'apply'
 * parseCleanupRunRequest(undefined); // 'dry-run'
 */
export function parseCleanupRunRequest(body: unknown): CleanupMode {
  return validate(cleanupRunRequestSchema, body)?.dryRun === false ? 'apply' : 'dry-run';
}
