/**
 * The kinds of parameter blueprints take, so each blueprint says only what differs: the pattern,
 * the choices, the reserved names, the default.
 */
import { z } from 'zod';

/**
 * Text that must match `pattern`; `message` says what is expected.
 *
 * @example
 * text(/^[a-z0-9-]{3,63}$/, '3-63 lowercase letters, digits and hyphens').default('data');
 */
export function text(pattern: RegExp, message: string) {
  // The message also describes the field, for forms and the API's description.
  return z.string().regex(pattern, message).describe(message);
}

/**
 * An account name (an administrator login, a Linux user) that must match `pattern` and is not one
 * of the names the service reserves.
 *
 * @example
 * accountName(/^[a-z_][a-z0-9_-]{0,31}$/, 'a Linux user name', ['root']).default('azureuser');
 */
export function accountName(pattern: RegExp, message: string, reserved: readonly string[]) {
  return text(pattern, message).refine((name) => !reserved.includes(name), 'is reserved');
}

/**
 * One of `values`, `fallback` when absent.
 *
 * @example
 * choice(['Standard_LRS', 'Standard_ZRS'], 'Standard_LRS');
 */
export function choice<const T extends readonly [string, ...string[]]>(
  values: T,
  fallback: T[number],
) {
  return z.enum(values).default(fallback);
}
