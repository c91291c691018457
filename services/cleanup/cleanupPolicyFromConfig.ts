import type { AppConfig } from '../../shared/config.js';
import type { CleanupPolicy } from './CleanupPolicy.js';

/**
 * The cleanup policy from the parsed app settings.
 *
 * @example
 * cleanupPolicyFromConfig(getConfig()).maxDeletes; // 25 unless CLEANUP_MAX_DELETES says otherwise
 */
export function cleanupPolicyFromConfig(
  config: Pick<AppConfig, 'appName' | 'cleanup'>,
): CleanupPolicy {
  const c = config.cleanup;
  return {
    appName: config.appName,
    warnHours: c.warnHours,
    orphans: c.orphans,
    orphanMinAgeDays: c.orphanMinAgeDays,
    graceDays: c.graceDays,
    protectedPatterns: [...c.protectedPatterns],
    maxDeletes: c.maxDeletes,
    maxDeleteFraction: c.maxDeleteFraction,
  };
}
