import pLimit from 'p-limit';
import { z } from 'zod';
import type { RecordStore } from '../records/RecordStore.js';
import { recordKeys } from '../records/recordKeys.js';
import type { AuditEntry, AuditLine } from './recordAudit.js';

/** The query of `GET /api/audit`: a UTC day (today by default) and a page of it. */
export const auditQuerySchema = z.object({
  day: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a UTC day, yyyy-mm-dd')
    .refine((day) => !Number.isNaN(Date.parse(`${day}T00:00:00Z`)), 'must be a real day')
    .optional(),
  top: z.coerce.number().int().min(1).max(500).default(100),
  skip: z.coerce.number().int().min(0).default(0),
});

/** One page of a day's audit trail. */
export interface AuditPage {
  /** The UTC day, `yyyy-mm-dd`. */
  day: string;
  /** Newest first. */
  entries: AuditEntry[];
  /** How many entries the day holds in all. */
  total: number;
}

/**
 * A page of one UTC day's audit trail, newest first: `skip` entries passed over, at most `top`
 * read. The day's logs are read whole (at most 144, one per ten minutes); entries kept one per
 * blob before the logs are counted by their names and read only when on the page.
 *
 * @example
 * const { entries, total } = await readAuditDay(records, '2026-01-15', { top: 50, skip: 0 });
 */
export async function readAuditDay(
  records: RecordStore,
  day: string,
  page: { top: number; skip: number },
): Promise<AuditPage> {
  const logs: string[] = [];
  const single = new Map<string, string>();
  for await (const key of records.list(recordKeys.auditDay(day))) {
    if (key.endsWith('.jsonl')) logs.push(key);
    else if (key.endsWith('.json')) single.set(idOfEntryBlob(key), key);
  }
  const logged = new Map((await readLogs(records, logs)).map((line) => [line.id, line.entry]));
  const ids = [...new Set([...logged.keys(), ...single.keys()])].sort().reverse();
  const chosen = ids.slice(page.skip, page.skip + page.top);
  const limit = pLimit(16);
  const entries = (
    await Promise.all(
      chosen.map(async (id) => {
        const entry = logged.get(id);
        if (entry) return entry;
        return (await limit(() => records.get<AuditEntry>(single.get(id)!)))?.value;
      }),
    )
  ).flatMap((entry) => (entry ? [entry] : []));
  return { day, entries, total: ids.length };
}

/**
 * The audit entries under `keys`, oldest first, each once: logs (`.jsonl`), and entries kept one
 * per blob (`.json`) before the logs. A key that names nothing is passed over.
 *
 * @example
 * const keys = [recordKeys.groupHistoryLog(sub, 'ana-1')];
 * (await readAuditKeys(records, keys)).map((e) => e.action); // ['sandbox.requested', …]
 */
export async function readAuditKeys(
  records: RecordStore,
  keys: readonly string[],
): Promise<AuditEntry[]> {
  const limit = pLimit(16);
  const lines = (
    await Promise.all([
      readLogs(
        records,
        keys.filter((key) => key.endsWith('.jsonl')),
      ),
      ...keys
        .filter((key) => key.endsWith('.json'))
        .map(async (key): Promise<AuditLine[]> => {
          const record = await limit(() => records.get<AuditEntry>(key));
          return record ? [{ id: idOfEntryBlob(key), entry: record.value }] : [];
        }),
    ])
  ).flat();
  const unique = new Map(lines.map((line) => [line.id, line.entry]));
  return [...unique.keys()].sort().map((id) => unique.get(id)!);
}

/** Every line of the logs under `keys`, in no particular order. */
async function readLogs(records: RecordStore, keys: readonly string[]): Promise<AuditLine[]> {
  const limit = pLimit(8);
  const texts = await Promise.all(keys.map((key) => limit(() => records.getText(key))));
  return texts.flatMap((text) =>
    (text ?? '')
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => JSON.parse(line) as AuditLine),
  );
}

/** An entry blob's name is `{at}-{action}-{id}.json`: the identity its log line would have. */
function idOfEntryBlob(key: string): string {
  return key.slice(key.lastIndexOf('/') + 1, -'.json'.length);
}
