import { describe, expect, it } from 'vitest';
import {
  auditQuerySchema,
  readAuditDay,
  readAuditKeys,
} from '../../../../shared/audit/readAuditDay.js';
import { recordAudit } from '../../../../shared/audit/recordAudit.js';
import { recordKeys } from '../../../../shared/records/recordKeys.js';
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

  it('pages the logs and the entries kept one per blob before them as one trail', async () => {
    // Prepare: entries of the day kept one per blob, as the trail was written before its logs
    const records = new InMemoryRecordStore();
    for (const [at, group] of [
      ['2026-01-15T07:00:00.000Z', 'old-a'],
      ['2026-01-15T09:30:00.000Z', 'old-b'],
    ] as const) {
      await records.put(recordKeys.auditEntry(at, 'sandbox.extended', group), entry(at, group));
    }
    await recordAudit(records, entry('2026-01-15T08:00:00.000Z', 'new-a'), '1');
    await recordAudit(records, entry('2026-01-15T10:00:00.000Z', 'new-b'), '2');
    const reads = records.operations.get;

    // Act
    const first = await readAuditDay(records, '2026-01-15', { top: 2, skip: 0 });
    const second = await readAuditDay(records, '2026-01-15', { top: 2, skip: 2 });

    // Assess
    expect(first.entries.map((e) => e.resourceGroup)).toEqual(['new-b', 'old-b']);
    expect(second.entries.map((e) => e.resourceGroup)).toEqual(['new-a', 'old-a']);
    expect([first.total, second.total]).toEqual([4, 4]);
    // An entry kept in a blob of its own is read only for the page it is on.
    expect(records.operations.get - reads).toBe(2);
  });
});

describe('recordAudit', () => {
  it('appends to a log per ten minutes and per group, not a blob per entry', async () => {
    // Prepare
    const records = new InMemoryRecordStore();

    // Act: 300 entries about 3 groups over 20 minutes
    for (let i = 0; i < 300; i++) {
      const at = new Date(Date.parse('2026-01-15T09:00:00.000Z') + i * 4_000).toISOString();
      await recordAudit(records, entry(at, `g-${i % 3}`), String(i));
    }

    // Assess
    expect(records.keys()).toEqual([
      'audit/2026-01-15/0900.jsonl',
      'audit/2026-01-15/0910.jsonl',
      'history/sub-1/g-0.jsonl',
      'history/sub-1/g-1.jsonl',
      'history/sub-1/g-2.jsonl',
    ]);
    expect((await readAuditDay(records, '2026-01-15', { top: 1, skip: 0 })).total).toBe(300);
  });
});

describe('readAuditKeys', () => {
  it('reads a group’s log and its entries kept one per blob before, oldest first', async () => {
    // Prepare
    const records = new InMemoryRecordStore();
    const older = entry('2026-01-14T08:00:00.000Z', 'ana-1');
    await records.put(
      `${recordKeys.groupHistoryOf('sub-1', 'ana-1')}${older.at}-${older.action}-1.json`,
      older,
    );
    await recordAudit(records, entry('2026-01-15T08:00:00.000Z', 'ana-1'), '2');

    // Act
    const read = await readAuditKeys(records, [
      recordKeys.groupHistoryLog('sub-1', 'ana-1'),
      `${recordKeys.groupHistoryOf('sub-1', 'ana-1')}${older.at}-${older.action}-1.json`,
      recordKeys.groupHistoryLog('sub-1', 'none'),
    ]);

    // Assess
    expect(read.map((e) => e.at)).toEqual(['2026-01-14T08:00:00.000Z', '2026-01-15T08:00:00.000Z']);
  });

  it('keeps one of the lines a retried write appended twice', async () => {
    // Prepare
    const records = new InMemoryRecordStore();
    const once = entry('2026-01-15T08:00:00.000Z', 'ana-1');

    // Act
    await recordAudit(records, once, 'op-1');
    await recordAudit(records, once, 'op-1');
    await recordAudit(records, entry('2026-01-15T08:00:00.000Z', 'ana-1'), 'op-2');

    // Assess
    expect(await readAuditKeys(records, [recordKeys.groupHistoryLog('sub-1', 'ana-1')])).toEqual([
      once,
      once,
    ]);
    expect((await readAuditDay(records, '2026-01-15', { top: 10, skip: 0 })).total).toBe(2);
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
