/**
 * What cleanup is allowed to do, as plain data. It is built once from `config.cleanup` and stored
 * with every plan, so that a plan approved later is re-checked against the policy it was made with.
 */
export interface CleanupPolicy {
  /** `APP_NAME`: a group is managed when its `managed-by` tag equals this exactly. */
  appName: string;
  /** A managed group whose lease ends within this many hours is warned about. */
  warnHours: number;
  /** `mark` tags old unmanaged groups for deletion after a grace period; `off` leaves them alone. */
  orphans: 'off' | 'mark';
  /** An unmanaged group is an orphan only when ARM's `createdTime` is at least this old. */
  orphanMinAgeDays: number;
  /** Days between marking an orphan and deleting it. */
  graceDays: number;
  /** Glob patterns (`*`, `?`, case-insensitive) of group names that are never touched. */
  protectedPatterns: readonly string[];
  /** The breaker trips when a run would delete more groups than this. */
  maxDeletes: number;
  /** The breaker trips when a run would delete more than this share of the groups it governs. */
  maxDeleteFraction: number;
}
