/** Words and numbers for people: durations, instants, names. Pure, so they are unit-tested. */

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** How long a lease has left, or how long ago it ended. */
export interface Remaining {
  text: string;
  expired: boolean;
  /** Less than four hours left. */
  soon: boolean;
}

function span(ms: number): string {
  if (ms >= DAY) {
    const days = Math.floor(ms / DAY);
    const hours = Math.floor((ms % DAY) / HOUR);
    return hours > 0 ? `${days} d ${hours} h` : `${days} d`;
  }
  if (ms >= HOUR) {
    const hours = Math.floor(ms / HOUR);
    const minutes = Math.floor((ms % HOUR) / MINUTE);
    return minutes > 0 ? `${hours} h ${minutes} min` : `${hours} h`;
  }
  return `${Math.max(1, Math.floor(ms / MINUTE))} min`;
}

/**
 * The time left on a lease that ends at `expiresAt`, as of `now`.
 *
 * @example
 * formatRemaining('2026-01-01T10:00:00Z', Date.parse('2026-01-01T02:30:00Z')).text; // '7 h 30 min left'
 */
export function formatRemaining(expiresAt: string, now: number): Remaining {
  const end = Date.parse(expiresAt);
  if (Number.isNaN(end)) return { text: 'unreadable lease', expired: false, soon: false };
  const left = end - now;
  if (left <= 0) return { text: `ended ${span(-left)} ago`, expired: true, soon: true };
  if (left < MINUTE) return { text: 'less than a minute left', expired: false, soon: true };
  return { text: `${span(left)} left`, expired: false, soon: left < 4 * HOUR };
}

/**
 * An instant as people read it, in their own time zone (or the one given).
 *
 * @example
 * formatInstant('2026-01-15T09:00:00Z', 'en-GB', 'UTC'); // '15 Jan 2026, 09:00'
 */
export function formatInstant(iso: string, locale?: string, timeZone?: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(locale, {
    dateStyle: 'medium',
    timeStyle: 'short',
    ...(timeZone ? { timeZone } : {}),
  }).format(date);
}

/**
 * A field's name for people: `containerName` → `Container name`.
 *
 * @example
 * humanize('sshPublicKey'); // 'SSH public key'
 */
export function humanize(name: string): string {
  const words = name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[-_]+/g, ' ')
    .toLowerCase()
    .split(' ')
    .map((word) =>
      ['ssh', 'ttl', 'vm', 'id', 'urn', 'sku'].includes(word) ? word.toUpperCase() : word,
    );
  const text = words.join(' ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/**
 * The Azure portal's page of a resource, in the tenant it lives in.
 *
 * @example
 * portalLink('https://portal.azure.com', 'tenant', '/subscriptions/s/resourceGroups/g');
 * // 'https://portal.azure.com/#@tenant/resource/subscriptions/s/resourceGroups/g'
 */
export function portalLink(portalUrl: string, tenantId: string, resourceId: string): string {
  return `${portalUrl.replace(/\/+$/, '')}/#@${tenantId}/resource${resourceId}`;
}

const ACTIONS: Record<string, string> = {
  'sandbox.requested': 'Requested',
  'sandbox.extended': 'Lease extended',
  'sandbox.teardown-requested': 'Deletion requested',
  'sandbox.updated': 'Settings changed',
  'operation.succeeded': 'Operation succeeded',
  'operation.failed': 'Operation failed',
  'cleanup.delete-started': 'Cleanup started deleting',
  'cleanup.deleted': 'Deleted by cleanup',
  'cleanup.already-gone': 'Already gone at cleanup',
  'cleanup.delete-failed': 'Cleanup could not delete',
  'cleanup.marked': 'Marked by cleanup',
  'group.creator-tagged': 'Creator recorded',
  'sandbox.adopted': 'Adopted as a sandbox',
  'sandbox.lease-changed-out-of-band': 'Lease changed outside the app',
  'sandbox.deleted-out-of-band': 'Deleted outside the app',
};

/**
 * An audit action for people.
 *
 * @example
 * actionLabel('sandbox.extended'); // 'Lease extended'
 */
export function actionLabel(action: string): string {
  return ACTIONS[action] ?? action;
}

/** The last segment of a resource type: `Microsoft.Storage/storageAccounts` → `storageAccounts`. */
export function shortType(type: string): string {
  return type.split('/').slice(1).join('/') || type;
}

/** What a run in the list of runs did, or how far it got. */
export interface RunProgressInput {
  mode: 'dry-run' | 'apply';
  status: string;
  enqueued?: number;
  outcomes?: Record<string, number>;
}

/**
 * How far a cleanup run got, in a few words for the list of runs.
 *
 * @example
 * runProgress({ mode: 'apply', status: 'applying', enqueued: 5, outcomes: { deleted: 2 } });
 * // '2 of 5 ended'
 */
export function runProgress(run: RunProgressInput): string {
  if (run.mode === 'dry-run') return run.status === 'completed' ? 'plan only' : '—';
  if (run.status === 'blocked') return 'waiting for approval';
  const ended = Object.values(run.outcomes ?? {}).reduce((a, b) => a + b, 0);
  if (run.status === 'applying') return `${ended} of ${run.enqueued ?? '?'} ended`;
  const outcomes = Object.entries(run.outcomes ?? {}).filter(([, n]) => n > 0);
  if (run.status === 'completed')
    return outcomes.length > 0
      ? outcomes.map(([s, n]) => `${s} ${n}`).join(' · ')
      : 'nothing to do';
  return '—';
}
