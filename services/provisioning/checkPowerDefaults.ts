import { ConfigError } from '../../shared/errors.js';
import type { Blueprint } from './blueprints/Blueprint.js';

/**
 * Refuses a `POWER_SCHEDULE_DEFAULT_<BLUEPRINT>` setting that names no blueprint, so a typo
 * fails at start-up instead of leaving sandboxes without the schedule someone meant them to have.
 *
 * @example
 * checkPowerDefaults({ vm: 'off=(M-F,19)' }, blueprints); // passes
 * checkPowerDefaults({ vms: 'off=(M-F,19)' }, blueprints); // throws ConfigError naming POWER_SCHEDULE_DEFAULT_VMS
 */
export function checkPowerDefaults(
  defaults: Readonly<Record<string, string>>,
  blueprints: ReadonlyMap<string, Blueprint<unknown>>,
): void {
  const known = new Set([...blueprints.keys()].map((name) => name.toLowerCase()));
  const unknown = Object.keys(defaults).filter((name) => !known.has(name));
  if (unknown.length > 0) {
    throw new ConfigError(
      unknown.map((name) => ({
        setting: `POWER_SCHEDULE_DEFAULT_${name.toUpperCase().replaceAll('-', '_')}`,
        message: `names no blueprint; known: ${[...blueprints.keys()].join(', ')}`,
      })),
    );
  }
}
