/**
 * The one way request data is checked against a zod schema: every issue becomes a `Violation`
 * named by its path (`parameters.vmSize`, or `body` for the whole), and a failure is a
 * `ValidationError` (400) listing them all.
 */
import type { z } from 'zod';
import { ValidationError, type Violation } from './apiErrors.js';

/**
 * The violations of a failed parse, each named by its path under `prefix`.
 *
 * @example
 * violationsOf(result.error, ['parameters']); // [{ rule: 'parameters.vmSize', message: '…' }]
 */
export function violationsOf(error: z.ZodError, prefix: readonly string[] = []): Violation[] {
  return error.issues.flatMap((issue) => {
    const path = [...prefix, ...issue.path.map(String)];
    // An unknown field is named itself, so the caller sees which one to remove.
    const names = issue.code === 'unrecognized_keys' ? issue.keys.map((k) => [...path, k]) : [path];
    return names.map((p) => ({
      rule: p.length > 0 ? p.join('.') : 'body',
      message: issue.message,
    }));
  });
}

/**
 * The parsed value, or a `ValidationError` naming every problem. `invalid` builds a feature's
 * own subclass of it.
 *
 * @example
 * const { ttlHours } = validate(extendRequestSchema, body);
 */
export function validate<S extends z.ZodType>(
  schema: S,
  value: unknown,
  options: {
    prefix?: readonly string[];
    invalid?: (violations: Violation[]) => ValidationError;
  } = {},
): z.output<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const violations = violationsOf(parsed.error, options.prefix);
  throw options.invalid ? options.invalid(violations) : new ValidationError(violations);
}
