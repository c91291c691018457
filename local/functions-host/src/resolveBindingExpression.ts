import { randomUUID } from 'node:crypto';

/** Thrown when a binding expression names data the trigger did not provide. */
export class BindingExpressionError extends Error {
  constructor(expression: string, name: string) {
    super(`No value for named parameter '${name}' in binding expression '${expression}'.`);
    this.name = 'BindingExpressionError';
  }
}

function lookup(data: Record<string, unknown>, path: string): unknown {
  let current: unknown = data;
  for (const part of path.split('.')) {
    if (current === null || typeof current !== 'object') return undefined;
    const record = current as Record<string, unknown>;
    const key = Object.keys(record).find((k) => k.toLowerCase() === part.toLowerCase());
    current = key === undefined ? undefined : record[key];
  }
  return current;
}

/**
 * Substitutes `%Setting%` app settings and `{name}` binding data in a binding property, as the
 * host does for paths such as `samples/{queueTrigger}` or `%QUEUE_NAME%`. Names are matched
 * without regard to case; dotted names reach into JSON payloads; `{rand-guid}` and `{DateTime}`
 * are built in.
 *
 * @example
 * resolveBindingExpression('out/{id}.json', { id: '7' }, {}); // 'out/7.json'
 */
export function resolveBindingExpression(
  expression: string,
  data: Record<string, unknown>,
  settings: Record<string, string | undefined>,
  now: () => Date = () => new Date(),
): string {
  const withSettings = resolveAppSettings(expression, settings);
  return withSettings.replace(/\{([^{}]+)\}/g, (_, name: string) => {
    const lower = name.toLowerCase();
    if (lower === 'rand-guid' || lower === 'sys.randguid') return randomUUID();
    if (lower === 'datetime' || lower === 'sys.utcnow') return now().toISOString();
    const value = lookup(data, name);
    if (value === undefined || value === null) throw new BindingExpressionError(expression, name);
    return typeof value === 'object' ? JSON.stringify(value) : String(value);
  });
}

/**
 * Substitutes `%Setting%` references only. A missing setting is an error, as on the host.
 *
 * @example
 * resolveAppSettings('%QUEUE%', { QUEUE: 'work' }); // 'work'
 */
export function resolveAppSettings(
  expression: string,
  settings: Record<string, string | undefined>,
): string {
  return expression.replace(/%([^%]+)%/g, (_, name: string) => {
    const value = settings[name];
    if (value === undefined) {
      throw new BindingExpressionError(expression, `%${name}%`);
    }
    return value;
  });
}
