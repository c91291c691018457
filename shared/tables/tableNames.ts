/**
 * The tables the app uses. Like the queues they are part of the deployment, not settings.
 *
 * @example
 * platform.table(tableNames.cleanupItems);
 */
export const tableNames = {
  /** One partition per applied cleanup run: a row per planned item with its outcome, and tallies. */
  cleanupItems: 'cleanupitems',
  /**
   * One partition per event (its id): a row per receiver the event was delivered to, so a
   * redelivered message does not post it again. A point read and an insert per delivery.
   */
  notificationDeliveries: 'notificationdeliveries',
} as const;

export type TableName = (typeof tableNames)[keyof typeof tableNames];
