const ISO_8601 = /^(\d{4}-\d{2}-\d{2})(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?)?(Z|[+-]\d{2}:?\d{2})?$/i;

/**
 * Milliseconds since the epoch for an ISO 8601 date or instant, or `undefined` for anything else.
 * A value without a zone is read as UTC (the tag contract is UTC), never as the machine's local
 * time, so the answer does not depend on where the app runs.
 *
 * @example
 * parseInstant('2026-01-31T18:00:00Z'); // 1769882400000
 * parseInstant('2026-01-31'); // 1769817600000 (midnight UTC)
 * parseInstant('next tuesday'); // undefined
 */
export function parseInstant(value: string): number | undefined {
  const text = value.trim();
  const match = ISO_8601.exec(text);
  if (!match) return undefined;
  const utc = match[2] !== undefined && match[5] === undefined ? `${text}Z` : text;
  const ms = Date.parse(utc);
  return Number.isNaN(ms) ? undefined : ms;
}
