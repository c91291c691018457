import { parseInstant } from '../sandbox/parseInstant.js';

/**
 * How far apart ARM's `createdTime` of a group and the event of the write that created it may be.
 * ARM raises the event when the write ends, within the same request: seconds, at most.
 */
export const CREATING_WRITE_WINDOW_MS = 60_000;

/**
 * Whether the write an event reports is the one that created the group: its time is within
 * `CREATING_WRITE_WINDOW_MS` of the group's `createdTime`. A later write (an update, a tag) is not,
 * so it never names a creator. Without `createdTime` (ARM did not answer it) every write counts,
 * and only a group without `created-by` is tagged.
 *
 * @example
 * isCreatingWrite('2026-01-01T10:00:00.4Z', '2026-01-01T10:00:00Z'); // true
 * isCreatingWrite('2026-01-01T11:00:00Z', '2026-01-01T10:00:00Z'); // false: an update an hour later
 */
export function isCreatingWrite(eventTime: string, createdTime: string | undefined): boolean {
  const created = createdTime === undefined ? undefined : parseInstant(createdTime);
  const at = parseInstant(eventTime);
  if (created === undefined || at === undefined) return true;
  return Math.abs(at - created) <= CREATING_WRITE_WINDOW_MS;
}
