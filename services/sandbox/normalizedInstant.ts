import { parseInstant } from './parseInstant.js';

/**
 * An ISO 8601 instant in one spelling (`toISOString`), so that equal instants compare equal as
 * text; `undefined` for anything `parseInstant` does not read.
 *
 * @example
 * normalizedInstant('2018-07-19T18:38:04.6117357Z'); // '2018-07-19T18:38:04.611Z'
 */
export function normalizedInstant(value: string | undefined): string | undefined {
  const ms = value === undefined ? undefined : parseInstant(value);
  return ms === undefined ? undefined : new Date(ms).toISOString();
}
