/**
 * The tables the app uses. Like the queues they are part of the deployment, not settings.
 *
 * @example
 * platform.table(tableNames.cleanupItems);
 */
export const tableNames = {
  /** One partition per applied cleanup run: a row per planned item with its outcome, and tallies. */
  cleanupItems: 'cleanupitems',
} as const;

export type TableName = (typeof tableNames)[keyof typeof tableNames];
