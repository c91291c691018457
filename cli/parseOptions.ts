import { InvalidArgumentError } from 'commander';
import type { JsonSchema } from '../web/src/apiTypes.js';

/**
 * A positive number of hours, for commander.
 *
 * @example
 * hours('48'); // 48
 */
export function hours(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0)
    throw new InvalidArgumentError('must be a positive number of hours.');
  return n;
}

/**
 * A timeout in seconds, for commander.
 *
 * @example
 * seconds('600'); // 600
 */
export function seconds(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0)
    throw new InvalidArgumentError('must be a positive number of seconds.');
  return n;
}

/**
 * Collects repeated `key=value` options into pairs, for commander.
 *
 * @example
 * keyValue('size=Standard_B1s', []); // [['size', 'Standard_B1s']]
 */
export function keyValue(
  value: string,
  previous: Array<[string, string]> = [],
): Array<[string, string]> {
  const equals = value.indexOf('=');
  if (equals <= 0) throw new InvalidArgumentError(`'${value}' is not key=value.`);
  return [...previous, [value.slice(0, equals), value.slice(equals + 1)]];
}

/**
 * Blueprint parameters from `--param key=value`, each typed as the blueprint's parameter schema
 * says (a number, a boolean, JSON for objects and arrays), so the API sees what its form would
 * send. A parameter the schema does not know stays a string, for the API to judge.
 *
 * @example
 * blueprintParameters([['adminCount', '2']], { properties: { adminCount: { type: 'integer' } } });
 * // { adminCount: 2 }
 */
export function blueprintParameters(
  pairs: ReadonlyArray<[string, string]>,
  schema: JsonSchema | undefined,
): Record<string, unknown> {
  const parameters: Record<string, unknown> = {};
  for (const [key, raw] of pairs) {
    const type = schema?.properties?.[key]?.type;
    const types = Array.isArray(type) ? type : type ? [type] : [];
    parameters[key] = typed(raw, types);
  }
  return parameters;
}

function typed(raw: string, types: string[]): unknown {
  if ((types.includes('integer') || types.includes('number')) && raw.trim() !== '') {
    const n = Number(raw);
    if (Number.isFinite(n)) return n;
  }
  if (types.includes('boolean') && (raw === 'true' || raw === 'false')) return raw === 'true';
  if (types.includes('object') || types.includes('array')) {
    try {
      return JSON.parse(raw) as unknown;
    } catch {
      return raw;
    }
  }
  return raw;
}
