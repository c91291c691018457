import { describe, expect, it } from 'vitest';
import { auditQuerySchema, readAuditDay } from '../../../../shared/audit/readAuditDay.js';
import { recordAudit } from '../../../../shared/audit/recordAudit.js';
import { InMemoryRecordStore } from '../../../support/fakes/InMemoryRecordStore.js';

const entry = (at: string, resourceGroup: string) => ({
  at,
  actor: 'ana@contoso.com',
  action: 'sandbox.extended' as const,
  subscriptionId: 'sub-1',
  resourceGroup,
});

describe('readAuditDay', () => {
  it('reads one day newest first, a page at a time, with the day’s total', async () => {
    // Prepare
    const records = new InMemoryRecordStore();
    await recordAudit(records, entry('2026-01-15T08:00:00.000Z', 'a'), '1');
    await recordAudit(records, entry('2026-01-15T09:00:00.000Z', 'b'), '2');
    await recordAudit(records, entry('2026-01-15T10:00:00.000Z', 'c'), '3');
    await recordAudit(records, entry('2026-01-16T10:00:00.000Z', 'd'), '4');

    // Act
    const page = await readAuditDay(records, '2026-01-15', { top: 2, skip: 1 });

    // Assess
    expect(page.total).toBe(3);
    expect(page.entries.map((e) => e.resourceGroup)).toEqual(['b', 'a']);
  });
});

describe('auditQuerySchema', () => {
  it.each([
    [{ day: '2026-1-5' }, 'must be a UTC day, yyyy-mm-dd'],
    [{ day: '2026-13-45' }, 'must be a real day'],
    [{ top: '0' }, 'Too small: expected number to be >=1'],
  ])('refuses %j', (query, message) => {
    const result = auditQuerySchema.safeParse(query);
    expect(result.success ? undefined : result.error.issues[0]?.message).toBe(message);
  });

  it('defaults to a first page of 100', () => {
    expect(auditQuerySchema.parse({})).toEqual({ top: 100, skip: 0 });
  });
});
