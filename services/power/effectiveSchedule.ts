import { readTag, TAG_POWER_SCHEDULE } from '../sandbox/sandboxTags.js';

/**
 * The schedule that governs a VM: its own `sandbox-power-schedule` tag, else its group's.
 *
 * @example
 * effectiveSchedule({ 'Sandbox-Power-Schedule': 'off' }, { 'sandbox-power-schedule': 'off=(M-F,19)' });
 * // { value: 'off', source: 'vm' }
 */
export function effectiveSchedule(
  vmTags: Readonly<Record<string, string>>,
  groupTags: Readonly<Record<string, string>>,
): { value: string; source: 'vm' | 'group' } | undefined {
  const own = readTag(vmTags, TAG_POWER_SCHEDULE);
  if (own !== undefined) return { value: own, source: 'vm' };
  const inherited = readTag(groupTags, TAG_POWER_SCHEDULE);
  return inherited === undefined ? undefined : { value: inherited, source: 'group' };
}
