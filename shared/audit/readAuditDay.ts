import pLimit from 'p-limit';
import { z } from 'zod';
import type { RecordStore } from '../records/RecordStore.js';
import { recordKeys } from '../records/recordKeys.js';
import type { AuditEntry } from './recordAudit.js';

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
 * read.
 *
 * @example
 * const { entries, total } = await readAuditDay(records, '2026-01-15', { top: 50, skip: 0 });
 */
export async function readAuditDay(
  records: RecordStore,
  day: string,
  page: { top: number; skip: number },
): Promise<AuditPage> {
  const keys: string[] = [];
  for await (const key of records.list(recordKeys.auditDay(day))) keys.push(key);
  const chosen = keys.reverse().slice(page.skip, page.skip + page.top);
  const limit = pLimit(16);
  const entries = (
    await Promise.all(chosen.map((key) => limit(() => records.get<AuditEntry>(key))))
  ).flatMap((record) => (record ? [record.value] : []));
  return { day, entries, total: keys.length };
}
