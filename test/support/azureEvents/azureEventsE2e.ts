/**
 * Helpers for the end-to-end tests of the `azureEvents` function: waiting for what it does, and
 * counting what it did, through the stack's real interfaces (ARM's request log and event list,
 * Azurite, the host's log).
 */
import { BlobServiceClient } from '@azure/storage-blob';
import { QueueClient } from '@azure/storage-queue';
import type { AuditEntry } from '../../../shared/audit/recordAudit.js';
import { BlobRecordStore } from '../../../shared/records/BlobRecordStore.js';
import { auditEntriesUnder } from '../auditTrail.js';
import type { Stack } from '../stack.js';

/** Polls `check` every 100 ms until it answers something, or fails after `timeoutMs`. */
export async function eventually<T>(
  what: string,
  check: () => Promise<T | undefined>,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = await check();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * Waits until Event Grid has delivered every event so far and the app has taken every message of
 * `azure-events` and finished with it: nothing pending, nothing queued, every invocation ended.
 */
export async function azureEventsSettled(stack: Stack): Promise<void> {
  const queue = new QueueClient(stack.storage.connectionString, 'azure-events');
  await eventually('azure-events settled', async () => {
    await stack.arm.control.eventDeliveriesSettled();
    const { approximateMessagesCount } = await queue.getProperties();
    const logs = stack.logs();
    const started = count(logs, /Executing 'Functions\.azureEvents'/g);
    const ended = count(logs, /Executed 'Functions\.azureEvents'/g);
    return approximateMessagesCount === 0 && started === ended ? true : undefined;
  });
}

/**
 * The app's own log entries so far: the host writes one JSON line per entry, and the app's entry
 * (JSON too, see `createLogger`) is its `message`.
 */
export function appLogEntries(stack: Stack): Array<Record<string, unknown>> {
  const entries: Array<Record<string, unknown>> = [];
  for (const line of stack.logs().split('\n')) {
    const host = parseJson(line.slice(Math.max(0, line.indexOf('{'))));
    const message = host?.message;
    const app = typeof message === 'string' ? parseJson(message) : undefined;
    if (app) entries.push(app);
  }
  return entries;
}

/** The app's `azure event handled` entries about `group`, in order. */
export function eventsHandled(stack: Stack, group: string): Array<Record<string, unknown>> {
  return appLogEntries(stack).filter(
    (entry) =>
      entry.message === 'azure event handled' &&
      String(entry.resourceGroup ?? '').toLowerCase() === group.toLowerCase(),
  );
}

/** Whether the app emitted an event of `type` (to the notifications queue) about `subject`. */
export function emitted(stack: Stack, type: string): boolean {
  return appLogEntries(stack).some(
    (entry) => entry.message === 'event emitted' && entry.eventType === type,
  );
}

/** ARM's writes to the group (or its tags) that ARM accepted: PUT, PATCH or DELETE. */
export async function writesToGroup(stack: Stack, group: string): Promise<string[]> {
  const path = `/resourcegroups/${group.toLowerCase()}`;
  return (await stack.arm.control.requests({ limit: 10_000 }))
    .filter((r) => ['PUT', 'PATCH', 'DELETE'].includes(r.method) && r.status < 300)
    .filter((r) => {
      const url = r.url
        .toLowerCase()
        .split('?')[0]!
        .replace(/\/{2,}/g, '/');
      return url.endsWith(path) || url.includes(`${path}/providers/microsoft.resources/tags/`);
    })
    .map((r) => `${r.method} ${r.url.split('?')[0]!.replace(/\/{2,}/g, '/')}`);
}

/** The events ARM raised about the group or its tags, in the order it raised them. */
export async function eventsAbout(stack: Stack, group: string) {
  const path = `/resourcegroups/${group.toLowerCase()}`;
  return (await stack.arm.control.events(10_000)).filter(({ event }) => {
    const subject = event.subject.toLowerCase();
    return subject.endsWith(path) || subject.includes(`${path}/providers/microsoft.resources/tags`);
  });
}

/** The events ARM raised about the group or its tags for writes by the principal with `appId`. */
export async function writesBy(stack: Stack, group: string, appId: string): Promise<string[]> {
  return (await eventsAbout(stack, group))
    .filter(({ event }) => event.data.claims.appid?.toLowerCase() === appId.toLowerCase())
    .map(({ event }) => `${event.data.operationName} ${event.subject}`);
}

/** A record of the app's records container, or `undefined`. */
export async function storedRecord<T>(stack: Stack, key: string): Promise<T | undefined> {
  const blob = BlobServiceClient.fromConnectionString(stack.storage.connectionString)
    .getContainerClient(stack.settings.RECORDS_CONTAINER ?? 'sandbox-records')
    .getBlobClient(key);
  if (!(await blob.exists())) return undefined;
  return JSON.parse((await blob.downloadToBuffer()).toString('utf8')) as T;
}

/** Every key of the records container under `prefix`. */
export async function storedKeys(stack: Stack, prefix: string): Promise<string[]> {
  const container = BlobServiceClient.fromConnectionString(
    stack.storage.connectionString,
  ).getContainerClient(stack.settings.RECORDS_CONTAINER ?? 'sandbox-records');
  const keys: string[] = [];
  for await (const blob of container.listBlobsFlat({ prefix })) keys.push(blob.name);
  return keys;
}

/** Every audit entry under `prefix` (`audit/`, or a day's `audit/{day}/`), oldest first. */
export async function storedAudit(stack: Stack, prefix: string): Promise<AuditEntry[]> {
  const records = await BlobRecordStore.fromStorage(
    { kind: 'connectionString', connectionString: stack.storage.connectionString },
    stack.settings.RECORDS_CONTAINER ?? 'sandbox-records',
  );
  return auditEntriesUnder(records, prefix);
}

function parseJson(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === 'object'
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

function count(text: string, pattern: RegExp): number {
  return text.match(pattern)?.length ?? 0;
}
